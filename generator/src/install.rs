//! Where the CI workflow `clientgen init` writes installs clientgen from: crates.io once a
//! release is published ([`PUBLISHED`], the one place to change then), until then the git
//! repository and commit this binary was built from (recorded by `build.rs` when it was built
//! from a clone), or what `--install-from` names.

/// The clientgen release on crates.io that `init`'s workflow installs, once there is one.
pub const PUBLISHED: Option<&str> = None;

/// Where clientgen comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `cargo install clientgen --version V --locked`.
    CratesIo(String),
    /// `cargo install --git URL [--rev REV] clientgen --locked`.
    Git { url: String, rev: Option<String> },
    /// `cargo install --path DIR --locked`: a checkout of clientgen's `generator/` inside the
    /// repository the workflow runs in (a submodule, or a vendored copy).
    Path(String),
}

impl Source {
    /// `crates-io[@VERSION]`, `git:URL[#REV]` or `path:DIR`.
    pub fn parse(text: &str) -> Result<Source, String> {
        let bad = || {
            format!(
                "--install-from `{text}`: expected `crates-io[@VERSION]`, `git:URL[#REV]` or `path:DIR`"
            )
        };
        if let Some(rest) = text.strip_prefix("crates-io") {
            let version = match rest.strip_prefix('@') {
                Some(v) if !v.is_empty() => v.to_owned(),
                None if rest.is_empty() => env!("CARGO_PKG_VERSION").to_owned(),
                _ => return Err(bad()),
            };
            return Ok(Source::CratesIo(version));
        }
        if let Some(rest) = text.strip_prefix("git:") {
            let (url, rev) = match rest.rsplit_once('#') {
                Some((url, rev)) => (url, Some(rev.to_owned())),
                None => (rest, None),
            };
            if url.is_empty() || rev.as_deref() == Some("") {
                return Err(bad());
            }
            return Ok(Source::Git {
                url: url.to_owned(),
                rev,
            });
        }
        match text.strip_prefix("path:") {
            Some(dir) if !dir.is_empty() => Ok(Source::Path(dir.to_owned())),
            _ => Err(bad()),
        }
    }

    /// The published release, else the checkout this binary was built from, if known.
    pub fn default_for_this_build() -> Option<Source> {
        if let Some(version) = PUBLISHED {
            return Some(Source::CratesIo(version.to_owned()));
        }
        match (
            option_env!("CLIENTGEN_GIT_URL"),
            option_env!("CLIENTGEN_GIT_REV"),
        ) {
            (Some(url), Some(rev)) => Some(Source::Git {
                url: url.to_owned(),
                rev: Some(rev.to_owned()),
            }),
            _ => None,
        }
    }

    /// The shell command that installs clientgen from here, the lock file's versions kept.
    pub fn command(&self) -> String {
        match self {
            Source::CratesIo(version) => {
                format!("cargo install clientgen --version {version} --locked")
            }
            Source::Git { url, rev } => {
                let rev = rev
                    .as_ref()
                    .map(|r| format!(" --rev {}", quoted(r)))
                    .unwrap_or_default();
                format!(
                    "cargo install --git {}{rev} clientgen --locked",
                    quoted(url)
                )
            }
            Source::Path(dir) => format!("cargo install --path {} --locked", quoted(dir)),
        }
    }
}

/// `text` as one shell word: as is when it has nothing the shell reads, else single-quoted.
fn quoted(text: &str) -> String {
    let plain = text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_./:@+=%,".contains(&b));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_parse_and_give_their_install_command() {
        let git = Source::parse("git:https://example.com/clientgen.git#0123abc").expect("git");
        assert_eq!(
            git.command(),
            "cargo install --git https://example.com/clientgen.git --rev 0123abc clientgen --locked"
        );
        assert_eq!(
            Source::parse("git:ssh://git@example.com/c.git")
                .expect("no rev")
                .command(),
            "cargo install --git ssh://git@example.com/c.git clientgen --locked"
        );
        assert_eq!(
            Source::parse("path:vendor/clientgen dir/generator")
                .expect("path")
                .command(),
            "cargo install --path 'vendor/clientgen dir/generator' --locked"
        );
        assert_eq!(
            Source::parse("crates-io@0.2.0")
                .expect("crates.io")
                .command(),
            "cargo install clientgen --version 0.2.0 --locked"
        );
        for bad in [
            "",
            "git:",
            "git:x#",
            "path:",
            "crates-io@",
            "svn:x",
            "crates-iox",
        ] {
            assert!(Source::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(quoted("it's"), r"'it'\''s'");
    }
}
