//! The house rules of ARCHITECTURE.md, read off the source: which layer may use which, which
//! outside crates stay in their layer, and no import cycle between files (a parent module and
//! its own children aside). The imports are read from `use` declarations and `crate::…` or
//! `super::…` paths, test modules left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// A module path inside the crate, e.g. `["tui", "app", "edit"]`; the root is empty.
type Module = Vec<String>;

/// Which layers (top-level modules) each layer may use, as ARCHITECTURE.md's table says.
const ALLOWED: &[(&str, &[&str])] = &[
    ("text", &[]),
    ("interchange", &[]),
    ("progress", &[]),
    ("domain", &["text"]),
    ("error", &["domain", "text"]),
    ("outfile", &["error"]),
    ("location", &["domain", "error"]),
    ("metrics", &["domain"]),
    ("search", &["domain", "error", "outfile", "text"]),
    ("import", &["domain", "error", "interchange", "text"]),
    (
        "export",
        &["domain", "error", "interchange", "metrics", "progress"],
    ),
    ("seed", &["domain", "error", "import"]),
    (
        "db",
        &[
            "domain", "error", "import", "outfile", "progress", "search", "seed", "text",
        ],
    ),
    (
        "cli",
        &[
            "text",
            "interchange",
            "progress",
            "domain",
            "error",
            "outfile",
            "location",
            "metrics",
            "search",
            "import",
            "export",
            "seed",
            "db",
        ],
    ),
    (
        "tui",
        &[
            "text",
            "interchange",
            "progress",
            "domain",
            "error",
            "outfile",
            "location",
            "metrics",
            "search",
            "import",
            "export",
            "seed",
            "db",
        ],
    ),
];

/// Outside crates and the layers allowed to name them.
const CRATES: &[(&str, &[&str])] = &[
    ("rusqlite", &["db", "error"]),
    ("ratatui", &["tui"]),
    ("clap", &["cli"]),
    ("indicatif", &["cli"]),
    ("anyhow", &[]),
    ("libc", &[]),
    ("rust_xlsxwriter", &["export"]),
];

/// Every source file of the library, by module path.
fn modules() -> BTreeMap<Module, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<Module, String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(root).unwrap().with_extension("");
            let mut module: Module = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|m| m == "mod") {
                module.pop();
            }
            // The binary is its own crate; test modules in files of their own are tests.
            if module == ["main"] || module.iter().any(|m| m == "tests") {
                continue;
            }
            if module == ["lib"] {
                module.clear();
            }
            out.insert(module, fs::read_to_string(&path).unwrap());
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out
}

/// The source without comments, string literals' contents and `#[cfg(test)] mod … { … }`.
fn code(source: &str) -> String {
    let mut out = String::new();
    for line in source.lines() {
        let line = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        out.push_str(line);
        out.push('\n');
    }
    while let Some(start) = out.find("#[cfg(test)]") {
        let rest = &out[start..];
        let Some(open) = rest.find('{') else { break };
        let header = &rest[..open];
        if !header.contains("mod ") {
            // A test-only item that is not a module: drop the attribute only.
            out.replace_range(start..start + "#[cfg(test)]".len(), "");
            continue;
        }
        let mut depth = 0;
        let mut end = out.len();
        for (i, c) in out[start + open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = start + open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.replace_range(start..end, "");
    }
    out
}

/// `a::{b, c::{d}}` → `a::b`, `a::c::d`.
fn expand(path: &str) -> Vec<String> {
    let Some(open) = path.find('{') else {
        return vec![path.to_string()];
    };
    let prefix = &path[..open];
    let inner = &path[open + 1..path.len() - 1];
    let mut items = Vec::new();
    let (mut depth, mut cur) = (0, String::new());
    for c in inner.chars() {
        match c {
            ',' if depth == 0 => items.push(std::mem::take(&mut cur)),
            '{' => {
                depth += 1;
                cur.push(c);
            }
            '}' => {
                depth -= 1;
                cur.push(c);
            }
            _ => cur.push(c),
        }
    }
    items.push(cur);
    items
        .into_iter()
        .filter(|i| !i.is_empty())
        .flat_map(|i| expand(&format!("{prefix}{i}")))
        .collect()
}

/// The modules `path` (as written in `module`) reaches, resolved to the longest known one.
fn resolve(module: &Module, path: &str, known: &BTreeMap<Module, String>) -> Option<Module> {
    let path = path.split(" as ").next().unwrap_or(path);
    let mut parts = path.split("::").filter(|p| !p.is_empty()).peekable();
    let mut base: Module = match parts.peek().copied() {
        Some("crate") => {
            parts.next();
            Vec::new()
        }
        Some("super") => {
            let mut b = module.clone();
            while parts.peek() == Some(&"super") {
                parts.next();
                b.pop();
            }
            b
        }
        Some("self") => {
            parts.next();
            module.clone()
        }
        _ => return None,
    };
    base.extend(parts.map(str::to_string));
    (0..=base.len())
        .rev()
        .map(|k| base[..k].to_vec())
        .find(|m| known.contains_key(m))
}

/// Every module each module uses.
fn edges(known: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut out: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, source) in known {
        let code = code(source);
        let mut paths: Vec<String> = Vec::new();
        // Every `use …;`, wherever it stands (a word boundary before `use`).
        let mut from = 0;
        while let Some(i) = code[from..].find("use ").map(|i| from + i) {
            from = i + 4;
            let boundary = code[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            let Some(end) = code[i..].find(';').map(|e| i + e) else {
                break;
            };
            if boundary {
                let body: String = code[i + 4..end]
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                paths.extend(expand(&body));
            }
        }
        for word in code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')) {
            if word.starts_with("crate::") || word.starts_with("super::") {
                paths.push(word.trim_end_matches(':').to_string());
            }
        }
        let used = out.entry(module.clone()).or_default();
        for p in paths {
            if let Some(m) = resolve(module, &p, known) {
                if &m != module {
                    used.insert(m);
                }
            }
        }
    }
    out
}

/// The layer a module belongs to; the crate root's re-exports (`crate::Result`) are `error`'s.
fn layer(m: &Module) -> &str {
    m.first().map_or("error", String::as_str)
}

#[test]
fn each_layer_uses_only_what_the_architecture_allows() {
    let known = modules();
    let mut broken = Vec::new();
    for (from, used) in edges(&known) {
        let a = layer(&from);
        let Some((_, allowed)) = ALLOWED.iter().find(|(l, _)| *l == a) else {
            if !from.is_empty() {
                broken.push(format!(
                    "{}: a layer ARCHITECTURE.md does not list",
                    from.join("::")
                ));
            }
            continue;
        };
        for to in used {
            let b = layer(&to);
            if b != a && !allowed.contains(&b) {
                broken.push(format!("{} uses {}", from.join("::"), to.join("::")));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn outside_crates_stay_in_their_layer() {
    let mut broken = Vec::new();
    for (module, source) in modules() {
        let code = code(&source);
        for (name, layers) in CRATES {
            let named = code.contains(&format!("use {name}::"))
                || code.contains(&format!(" {name}::"))
                || code.contains(&format!("({name}::"));
            if named && !layers.contains(&layer(&module)) {
                broken.push(format!("{} names {name}", module.join("::")));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn no_file_imports_itself_through_others() {
    let known = modules();
    let related = |a: &Module, b: &Module| a.starts_with(b) || b.starts_with(a);
    let mut graph: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (from, used) in edges(&known) {
        let kept = used.into_iter().filter(|to| !related(&from, to)).collect();
        graph.insert(from, kept);
    }
    // A parent reaches its children (its `mod` declarations and re-exports).
    for m in known.keys().filter(|m| !m.is_empty()) {
        graph
            .entry(m[..m.len() - 1].to_vec())
            .or_default()
            .insert(m.clone());
    }
    // Depth-first search for a path back to the start, from every module.
    let mut cycles = Vec::new();
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((at, path)) = stack.pop() {
            for next in graph.get(&at).into_iter().flatten() {
                if next == start && path.len() > 1 {
                    // A parent reaching a child and the child reaching back is allowed.
                    let pair = path.len() == 2 && related(start, &path[1]);
                    if !pair {
                        cycles.push(
                            path.iter()
                                .map(|m| m.join("::"))
                                .collect::<Vec<_>>()
                                .join(" -> "),
                        );
                    }
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_reader_of_imports_finds_what_it_should() {
    assert_eq!(
        expand("crate::a::{b,c::{d,e}}"),
        ["crate::a::b", "crate::a::c::d", "crate::a::c::e"]
    );
    let code = code("use x; // crate::y\n#[cfg(test)]\nmod tests { use crate::z; }\nfn f() {}");
    assert!(!code.contains("crate::y") && !code.contains("crate::z") && code.contains("fn f"));
    let known = modules();
    let edges = edges(&known);
    let app = edges
        .get(&vec!["tui".to_string(), "app".to_string()])
        .unwrap();
    assert!(app.contains(&vec!["tui".to_string(), "layout".to_string()]));
    assert!(edges.values().map(BTreeSet::len).sum::<usize>() > 300);
}
