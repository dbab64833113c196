//! The git blob id of a description, which the generated manifest records.

/// The git blob id of a description's text (what `git hash-object` prints), recorded in the
/// generated manifest so that `generate --bump` can read the description the crate was last
/// generated from with `git cat-file -p`, without a copy of it.
pub fn spec_blob_id(spec_text: &str) -> String {
    let mut hasher = sha1_smol::Sha1::new();
    hasher.update(format!("blob {}\0", spec_text.len()).as_bytes());
    hasher.update(spec_text.as_bytes());
    hasher.digest().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_spec_blob_id_is_gits() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            super::spec_blob_id("hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }
}
