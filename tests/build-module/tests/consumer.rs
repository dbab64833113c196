//! The module generated at build time sends a real request and reads the answer, against a
//! loopback server on std's sockets.

use std::io::{Read, Write};
use std::net::TcpListener;

use build_module::api::{self, pets};

/// Answers one request with `body` and returns what it received (head and body).
fn serve_once(body: &'static str) -> (String, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let handle = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().expect("accept");
        let mut received = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = socket.read(&mut chunk).expect("read");
            received.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&received).to_string();
            if let Some(head_end) = text.find("\r\n\r\n") {
                let length: usize = text[..head_end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap_or(0))
                    })
                    .unwrap_or(0);
                if received.len() >= head_end + 4 + length || n == 0 {
                    break;
                }
            }
        }
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(answer.as_bytes()).expect("write");
        String::from_utf8_lossy(&received).to_string()
    });
    (base, handle)
}

#[tokio::test]
async fn the_generated_module_calls_the_api() {
    let (base, server) = serve_once(r#"{"id": "p1", "name": "Rex", "kind": "dog"}"#);
    let client = pets::Client::builder("t0ken")
        .base_url(&base)
        .build()
        .expect("a client");
    let pet = api::adopt(&client, "Rex").await.expect("the call succeeds");
    assert_eq!(pet.id, "p1");
    assert_eq!(pet.kind, Some(pets::Kind::Dog));
    let request = server.join().expect("the server ran");
    assert!(request.starts_with("POST /pets HTTP/1.1\r\n"), "{request}");
    assert!(
        request
            .to_ascii_lowercase()
            .contains("authorization: bearer t0ken"),
        "{request}"
    );
    assert!(
        request.ends_with(r#"{"name":"Rex","kind":"dog","tag":"adopted"}"#),
        "{request}"
    );
}
