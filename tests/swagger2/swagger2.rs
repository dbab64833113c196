//! What the crate of `tests/fixtures/swagger2.yaml` (a Swagger 2.0 description) sends, byte
//! for byte, against a loopback server: every `collectionFormat` of a query array (`csv`,
//! `multi`, `ssv`, `pipes`) and of a header, a form body (`formData`,
//! `application/x-www-form-urlencoded`) and a multipart upload with a `type: file` part.
//! Copied into that crate's `tests/` by `tests/tests/swagger2.rs`, which runs it.

use clientgen_tests::{Reply, Server};
use swagger_two::{Client, ListPetsStatus, RenamePetBody, UploadPhotoBody};

fn client(server: &Server) -> Client {
    Client::builder("user", "pw")
        .base_url(format!("{}/v2", server.url()))
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn query_arrays_follow_their_collection_format() {
    let server = Server::start(vec![Reply::json(200, "[]")]);
    client(&server)
        .list_pets()
        .x_trace("t-1")
        .tags(vec!["a".into(), "b c".into()])
        .ids(vec![1, 2])
        .words(vec!["x".into(), "y".into()])
        .flags(vec!["p".into(), "q".into()])
        .status(ListPetsStatus::Sold)
        .q("")
        .send()
        .await
        .unwrap();
    let seen = &server.requests()[0];
    // csv: one pair, comma-joined; multi: the name repeated; ssv: space-joined; pipes:
    // `|`-joined; each value encoded as a query value.
    assert_eq!(
        seen.target,
        "/v2/pets?tags=a%2Cb+c&ids=1&ids=2&words=x+y&flags=p%7Cq&status=sold&q="
    );
    assert_eq!(seen.header("x-trace"), Some("t-1"));
}

#[tokio::test]
async fn a_header_array_is_comma_separated() {
    let server = Server::start(vec![Reply::status(204)]);
    client(&server)
        .delete_pet(7)
        .reasons(vec!["old".into(), "lost".into()])
        .send()
        .await
        .unwrap();
    let seen = &server.requests()[0];
    assert_eq!(seen.line(), "DELETE /v2/pets/7 HTTP/1.1");
    assert_eq!(seen.header("reasons"), Some("old,lost"));
}

#[tokio::test]
async fn form_data_is_a_form_body() {
    let server = Server::start(vec![Reply::status(200)]);
    client(&server)
        .rename_pet(7, RenamePetBody::new("Rex & co").nicknames(vec!["r".into(), "x".into()]))
        .send()
        .await
        .unwrap();
    let seen = &server.requests()[0];
    assert_eq!(seen.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(seen.body_text(), "name=Rex+%26+co&nicknames=r%2Cx");
}

#[tokio::test]
async fn a_file_part_is_a_multipart_upload() {
    let server = Server::start(vec![Reply::status(200)]);
    client(&server)
        .upload_photo(7, "rex.png", b"\x89PNG".to_vec())
        .body(UploadPhotoBody::new().caption("Rex"))
        .send()
        .await
        .unwrap();
    let seen = &server.requests()[0];
    let content_type = seen.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart body");
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nRex\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"rex.png\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(b"\x89PNG");
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(seen.body, expected, "{}", seen.body_text());
}
