//! A small web site on 127.0.0.1 for the fetching tests: pages the test sets
//! and changes between runs, with ETags, redirects, failures, slow and huge
//! answers, and a log of every request (path and conditional headers). Each
//! request is answered on its own thread, so a slow page holds up no other.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tiny_http::{Header, Response, Server};

#[derive(Clone)]
pub enum Page {
    /// 200 with this body and content type; an ETag derived from the body;
    /// a conditional request with that ETag gets a 304.
    Body {
        content_type: &'static str,
        body: Vec<u8>,
        last_modified: Option<&'static str>,
    },
    /// A redirect with this status to this Location.
    Redirect(u16, String),
    /// A bare status (404, 410, 500…).
    Status(u16),
    /// Answers `status` this many times, then behaves as the page.
    FailFirst(u16, usize, Box<Page>),
    /// Waits before answering as the page.
    Slow(Duration, Box<Page>),
    /// Any status with these headers and body, as a hostile server sends it.
    Raw {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
}

impl Page {
    pub fn html(body: &str) -> Page {
        Page::Body {
            content_type: "text/html; charset=utf-8",
            body: body.as_bytes().to_vec(),
            last_modified: None,
        }
    }

    pub fn pdf(body: Vec<u8>) -> Page {
        Page::Body {
            content_type: "application/pdf",
            body,
            last_modified: None,
        }
    }

    pub fn text(body: &str) -> Page {
        Page::Body {
            content_type: "text/plain",
            body: body.as_bytes().to_vec(),
            last_modified: None,
        }
    }
}

/// One request as the site saw it.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub if_none_match: Option<String>,
    pub user_agent: Option<String>,
    pub status: u16,
}

#[derive(Default)]
struct State {
    pages: HashMap<String, Page>,
    log: Vec<Hit>,
}

pub struct Site {
    server: Arc<Server>,
    state: Arc<Mutex<State>>,
    pub base: String,
}

impl Site {
    pub fn start() -> Site {
        Site::start_on("127.0.0.1")
    }

    /// A site on another loopback address (127.0.0.2 and up): another host.
    pub fn start_on(ip: &str) -> Site {
        let server = Arc::new(Server::http(format!("{ip}:0")).expect("bind a loopback address"));
        let port = server.server_addr().to_ip().expect("ip address").port();
        let state = Arc::new(Mutex::new(State::default()));
        let (s, st) = (server.clone(), state.clone());
        std::thread::spawn(move || {
            for request in s.incoming_requests() {
                let st = st.clone();
                std::thread::spawn(move || answer(request, &st));
            }
        });
        Site {
            server,
            state,
            base: format!("http://{ip}:{port}"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn set(&self, path: &str, page: Page) {
        self.state
            .lock()
            .unwrap()
            .pages
            .insert(path.to_string(), page);
    }

    pub fn log(&self) -> Vec<Hit> {
        self.state.lock().unwrap().log.clone()
    }

    pub fn clear_log(&self) {
        self.state.lock().unwrap().log.clear();
    }

    /// How often `path` was asked for.
    pub fn requests_for(&self, path: &str) -> usize {
        self.log().iter().filter(|h| h.path == path).count()
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

fn answer(request: tiny_http::Request, state: &Mutex<State>) {
    let path = request.url().to_string();
    let header = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_string())
    };
    let if_none_match = header("If-None-Match");
    let user_agent = header("User-Agent");
    let mut page = {
        let mut state = state.lock().unwrap();
        let page = state.pages.get(&path).cloned();
        // A failing page counts its failures down.
        if let Some(Page::FailFirst(status, n, then)) = &page {
            let next = if *n > 1 {
                Page::FailFirst(*status, n - 1, then.clone())
            } else {
                (**then).clone()
            };
            state.pages.insert(path.clone(), next);
        }
        page.unwrap_or(Page::Status(404))
    };
    if let Page::Slow(delay, then) = page {
        std::thread::sleep(delay);
        page = *then;
    }
    let (status, response) = match page {
        Page::Body {
            content_type,
            body,
            last_modified,
        } => {
            let etag = format!(
                "\"{}\"",
                blake3::hash(&body).to_hex().get(..16).unwrap_or("")
            );
            if if_none_match.as_deref() == Some(etag.as_str()) {
                (304, Response::from_data(Vec::new()).with_status_code(304))
            } else {
                let mut response = Response::from_data(body)
                    .with_header(Header::from_bytes("Content-Type", content_type).unwrap())
                    .with_header(Header::from_bytes("ETag", etag.as_bytes()).unwrap());
                if let Some(date) = last_modified {
                    response =
                        response.with_header(Header::from_bytes("Last-Modified", date).unwrap());
                }
                (200, response)
            }
        }
        Page::Redirect(status, to) => (
            status,
            Response::from_data(Vec::new())
                .with_status_code(status)
                .with_header(Header::from_bytes("Location", to.as_bytes()).unwrap()),
        ),
        Page::Status(status) | Page::FailFirst(status, _, _) => (
            status,
            Response::from_data(format!("status {status}").into_bytes()).with_status_code(status),
        ),
        Page::Raw {
            status,
            headers,
            body,
        } => {
            let mut response = Response::from_data(body).with_status_code(status);
            for (name, value) in headers {
                response =
                    response.with_header(Header::from_bytes(name, value.as_bytes()).unwrap());
            }
            (status, response)
        }
        Page::Slow(..) => unreachable!("handled above"),
    };
    state.lock().unwrap().log.push(Hit {
        path,
        if_none_match,
        user_agent,
        status,
    });
    let _ = request.respond(response);
}
