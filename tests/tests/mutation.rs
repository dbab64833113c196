//! Damaged specs never make the generator panic: keys dropped, types changed and references
//! broken, thousands of times, each answered with `Ok` or `Err`.

mod common;

use serde_json::Value;

/// A small deterministic generator (xorshift), so that a failure can be replayed by seed.
/// JSON pointers of every node below the root.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        _ => {}
    }
}

fn mutate(doc: &mut Value, rng: &mut common::Rng) -> String {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let refs: Vec<&String> = all.iter().filter(|p| p.ends_with("/$ref")).collect();
    let kind = rng.below(5);
    let target = if kind == 4 && !refs.is_empty() {
        refs[rng.below(refs.len())].clone()
    } else {
        all[rng.below(all.len())].clone()
    };
    let (parent, key) = target.rsplit_once('/').expect("pointers have a parent");
    let replacement = match kind {
        0 => None, // drop the key or item
        1 => Some(Value::Null),
        2 => Some(Value::from(rng.below(1000) as i64 - 500)),
        3 => Some(match doc.pointer(&target) {
            Some(Value::Object(_)) => Value::Array(vec![Value::from("x")]),
            Some(Value::Array(_)) => Value::Object(Default::default()),
            Some(Value::String(_)) => Value::Bool(true),
            _ => Value::String("{broken".into()),
        }),
        _ => Some(Value::String(
            [
                "#/components/schemas/Nope",
                "#/",
                "other.yaml#/x",
                "#/paths",
                "",
            ][rng.below(5)]
            .into(),
        )),
    };
    let Some(container) = doc.pointer_mut(parent) else {
        return target;
    };
    match (container, replacement) {
        (Value::Object(m), None) => {
            let k = key.replace("~1", "/").replace("~0", "~");
            m.shift_remove(&k);
        }
        (Value::Array(items), None) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        (c, Some(v)) => {
            let k = key.replace("~1", "/").replace("~0", "~");
            match c {
                Value::Object(m) => {
                    m.insert(k, v);
                }
                Value::Array(items) => {
                    if let Ok(i) = k.parse::<usize>() {
                        if i < items.len() {
                            items[i] = v;
                        }
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
    target
}

/// The fixtures and our description, each damaged 2,400 times in all.
#[test]
fn damaged_fixtures_never_panic() {
    damaged_specs_never_panic(fixture_sources(), 2_400);
}

/// Three corpus descriptions beside the fixtures (real documents, with what fixtures lack).
#[test]
#[ignore = "needs ../shared (the corpus): run by `cargo test-shared`"]
fn damaged_corpus_specs_never_panic() {
    let Some(shared) = common::shared() else {
        common::skip_or_fail("../shared is not beside this checkout: no corpus to damage");
        return;
    };
    let root = common::root();
    let unpacked = root.join("target/corpus");
    if !unpacked.join("openapi-3.0/oxide-buildomat.json").exists() {
        let _ = std::process::Command::new("sh")
            .arg(shared.join("unpack-corpus"))
            .arg(&unpacked)
            .stdout(std::process::Stdio::null())
            .status();
    }
    assert!(
        unpacked.join("openapi-3.0/oxide-buildomat.json").exists(),
        "../shared/unpack-corpus did not unpack the corpus into {}",
        unpacked.display()
    );
    let sources = [
        "openapi-3.0/oxide-buildomat.json",
        "openapi-3.0/oxide-propolis-server.json",
        "openapi-3.1/scalar-galaxy.yaml",
    ]
    .iter()
    .map(|name| unpacked.join(name))
    .collect();
    damaged_specs_never_panic(sources, 600);
}

fn fixture_sources() -> Vec<std::path::PathBuf> {
    let root = common::root();
    let mut sources = vec![root.join("spec/stytch-b2b.yaml")];
    let mut fixtures: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .collect();
    // The evolution pair sits in a folder of its own (with the consumer code compiled against it).
    fixtures.push(root.join("tests/fixtures/evolution/v1.yaml"));
    fixtures.push(root.join("tests/fixtures/evolution/v2.yaml"));
    fixtures.sort();
    sources.extend(fixtures);
    sources
}

fn damaged_specs_never_panic(sources: Vec<std::path::PathBuf>, runs: usize) {
    let docs: Vec<(String, Value)> = sources
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("read a spec");
            (
                p.display().to_string(),
                clientgen::internals::parse_value(&text).expect("sources parse"),
            )
        })
        .collect();
    // With the conformance test: its sample values come from the mutated schemas too.
    let options = clientgen::Options {
        jobs: 1,
        conformance_test: true,
        ..clientgen::Options::new("mutant", "mutant")
    };
    let (mut ok, mut err) = (0, 0);
    let mut rng = common::Rng(0x9e37_79b9_7f4a_7c15);
    for run in 0..runs {
        let (name, original) = &docs[run % docs.len()];
        let mut doc = original.clone();
        let mut damaged = Vec::new();
        for _ in 0..=rng.below(3) {
            damaged.push(mutate(&mut doc, &mut rng));
        }
        let text = serde_json::to_string(&doc).expect("serialise");
        match std::panic::catch_unwind(|| clientgen::generate(&text, &options)) {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                assert!(!e.0.is_empty(), "an error result must say what is wrong");
                assert!(
                    e.0.iter()
                        .all(|d| d.pointer.starts_with('#') || d.pointer.starts_with("--")),
                    "{e}"
                );
                err += 1;
            }
            Err(_) => panic!("run {run}: generator panicked on {name} damaged at {damaged:?}"),
        }
    }
    assert_eq!(ok + err, runs);
    assert!(
        err > 0 && ok > 0,
        "mutations should produce both outcomes (ok {ok}, err {err})"
    );
    println!("{runs} damaged specs: {ok} generated, {err} rejected with errors, 0 panics");
}
