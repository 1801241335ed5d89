import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

import io.anserini.analysis.DefaultEnglishAnalyzer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollector;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;

/**
 * Lucene 9's query time inside a warm JVM, for the speed bench (benches/speed.rs).
 *
 * <p>Why a harness of our own: Anserini's SearchCollection times a whole topic
 * file and counts no hits, while the speed bench asks what dossier's search
 * does for one query: the top 10 by score, the exact number of matches and the
 * 10 hits' stored ids. This does exactly that, with Lucene's own classes from
 * the Anserini 0.21.0 fatjar (Lucene 9.4), on an index built by Anserini's
 * IndexCollection. The bench compiles it at run time:
 *
 * <pre>
 * javac -cp anserini-0.21.0-fatjar.jar -d OUT benches/lucene/SpeedHarness.java
 * java -cp anserini-0.21.0-fatjar.jar:OUT SpeedHarness [--warmup 200] [--runs 200] [--once] INDEX QUERY...
 * </pre>
 *
 * <p>What it measures: the index opened once (FSDirectory, so memory-mapped,
 * and a DirectoryReader), one IndexSearcher on one thread with
 * BM25Similarity(k1 0.9, b 0.4), Anserini's search defaults (Lucene's own are
 * 1.2 and 0.75). Each query string is parsed by Lucene's classic QueryParser on
 * the field "contents" with the analyser IndexCollection indexed it with
 * (Anserini's DefaultEnglishAnalyzer: StandardTokenizer, possessives, lower
 * case, Lucene's 33 English stop words, Porter), every word required (AND, as
 * dossier's search), a prefix scored per word it expands to (BM25 over each,
 * as dossier expands and ranks prefixes) rather than Lucene's constant score.
 * One run is: parse, collect the top 10 with an exact total (a collector whose
 * total-hits threshold is Integer.MAX_VALUE: no early termination), and read
 * the 10 hits' stored "id". Each query: 200 warm-up runs, then the median of
 * 200 timed runs (System.nanoTime).
 *
 * <p>Output, one line per query, tab-separated: the median in milliseconds,
 * the exact number of hits, the first hit's id, the query. With --once, each
 * query runs a single time and the time printed is that run's: the bench times
 * the whole process (JVM start, opening the index, one search) from outside.
 */
public final class SpeedHarness {
  private static final Set<String> ID = Set.of("id");

  /** The result of one run: the exact number of hits and the first hit's id. */
  private record Result(long hits, String first) {}

  public static void main(String[] args) throws Exception {
    int warmup = 200;
    int runs = 200;
    boolean once = false;
    int i = 0;
    for (; i < args.length && args[i].startsWith("--"); i++) {
      switch (args[i]) {
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--once" -> once = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (args.length - i < 2) {
      System.err.println("usage: SpeedHarness [--warmup N] [--runs N] [--once] INDEX QUERY...");
      System.exit(2);
    }
    try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(Paths.get(args[i])))) {
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setSimilarity(new BM25Similarity(0.9f, 0.4f));
      // The analyser IndexCollection uses by default (its DEFAULT_ANALYZER).
      Analyzer analyzer = DefaultEnglishAnalyzer.newDefaultInstance();
      QueryParser parser = new QueryParser("contents", analyzer);
      parser.setDefaultOperator(QueryParser.Operator.AND);
      parser.setMultiTermRewriteMethod(MultiTermQuery.SCORING_BOOLEAN_REWRITE);
      for (String text : Arrays.copyOfRange(args, i + 1, args.length)) {
        Result result = null;
        double ms;
        if (once) {
          long start = System.nanoTime();
          result = search(searcher, parser, text);
          ms = (System.nanoTime() - start) / 1e6;
        } else {
          for (int w = 0; w < warmup; w++) {
            result = search(searcher, parser, text);
          }
          long[] times = new long[runs];
          for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            result = search(searcher, parser, text);
            times[r] = System.nanoTime() - start;
          }
          Arrays.sort(times);
          ms = times[runs / 2] / 1e6;
        }
        System.out.printf(
            Locale.ROOT,
            "%.3f\t%d\t%s\t%s%n",
            ms, result.hits(), result.first() == null ? "-" : result.first(), text);
      }
    }
  }

  /** One search as dossier's: top 10 by score, exact count, the 10 hits' ids. */
  private static Result search(IndexSearcher searcher, QueryParser parser, String text)
      throws Exception {
    Query query = parser.parse(text);
    TopScoreDocCollector collector = TopScoreDocCollector.create(10, Integer.MAX_VALUE);
    searcher.search(query, collector);
    TopDocs top = collector.topDocs();
    String first = null;
    for (ScoreDoc hit : top.scoreDocs) {
      Document doc = searcher.doc(hit.doc, ID);
      if (first == null) {
        first = doc.get("id");
      }
    }
    return new Result(top.totalHits.value, first);
  }
}
