//! The module structure docs/architecture.md describes: no import cycle, and every arrow points down.
//!
//! Reads `src/**/*.rs`, resolves each `crate::…` and `super::…` path to the
//! module it names, and checks the graph two ways: (1) between top-level
//! modules, every edge goes to a module of the same or a lower layer, and
//! there is no cycle; (2) inside each folder, the sibling modules import
//! each other without a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules from the bottom up (docs/architecture.md, "Layers").
const LAYERS: &[&[&str]] = &[
    &["text", "number", "exact", "period", "issue"],
    &["tomlread", "cell"],
    &["xlsx", "input", "rules"],
    &["indicators", "project", "library"],
    &["roster", "station", "record"],
    &["records", "submissions", "engine"],
    &["run", "result", "ledger", "rollup"],
    &["analysis"],
    &["report"],
    &["cmd"],
    &["cli"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/report/excel.rs` → `["report", "excel"]`; `src/report/mod.rs` → `["report"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

fn ident(s: &str) -> String {
    s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// The paths right after `prefix`, to two segments: `a` and `a::b` in
/// `prefix::a::b::c`; every path of a group `prefix::{a, b::{c, d}, self}`.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find(prefix) {
        let before_ok = i == 0 || !rest[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':');
        rest = &rest[i + prefix.len()..];
        if before_ok {
            tree(rest, &[], &mut out);
        }
    }
    out.retain(|p| !p.is_empty() && p[0] != "self" && p[0] != "super");
    out
}

/// Reads one path (or `{…}` group) at the start of `s` below `base`, pushing paths of at most two segments.
fn tree(s: &str, base: &[String], out: &mut Vec<Vec<String>>) {
    let s = s.trim_start();
    if let Some(group) = s.strip_prefix('{') {
        let (mut depth, mut start) = (0usize, 0usize);
        for (j, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    tree(&group[start..j], base, out);
                    return;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    tree(&group[start..j], base, out);
                    start = j + 1;
                }
                _ => {}
            }
        }
        return;
    }
    let name = ident(s);
    if name.is_empty() || name == "self" {
        if !base.is_empty() {
            out.push(base.to_vec());
        }
        return;
    }
    let mut path = base.to_vec();
    path.push(name.clone());
    let after = &s[name.len()..];
    match after.strip_prefix("::") {
        Some(more) if path.len() < 2 => tree(more, &path, out),
        _ => out.push(path),
    }
}

/// The first segment of each path (the module a `crate::` path names at the top).
fn names_after(code: &str, prefix: &str) -> Vec<String> {
    paths_after(code, prefix).into_iter().map(|p| p[0].clone()).collect()
}

/// Code without comments (doc comments name paths in prose).
fn code_of(text: &str) -> String {
    text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

struct Graph {
    /// (from, to) between top-level modules.
    top: BTreeSet<(String, String)>,
    /// Per folder: (from, to) between its direct children.
    inner: BTreeMap<String, BTreeSet<(String, String)>>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut g = Graph { top: BTreeSet::new(), inner: BTreeMap::new() };
    for file in files {
        let module = module_of(&src, &file);
        if module.is_empty() || module == ["main"] {
            continue; // the crate root and the binary sit above everything
        }
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        let mut targets: Vec<Vec<String>> = paths_after(&code, "crate::");
        // `super::` from a/b/c names a/b/<x>; nested `super::super::` is not used.
        if module.len() >= 2 {
            let parent = &module[..module.len() - 1];
            for name in names_after(&code, "super::").into_iter().filter(|n| n != "super") {
                let mut t = parent.to_vec();
                t.push(name);
                targets.push(t);
            }
        } else {
            for name in names_after(&code, "super::").into_iter().filter(|n| n != "super") {
                targets.push(vec![name]);
            }
        }
        for t in targets {
            let (from, to) = (&module[0], &t[0]);
            if from != to && layer(to).is_some() {
                g.top.insert((from.clone(), to.clone()));
            }
            // Siblings inside one folder: module a/x importing a/y.
            if module.len() >= 2 && t.len() >= 2 && module[0] == t[0] && module[1] != t[1] {
                g.inner.entry(module[0].clone()).or_default().insert((module[1].clone(), t[1].clone()));
            }
        }
    }
    g
}

/// A cycle in the graph, if there is one, as the path that closes it.
fn cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    let nodes: BTreeSet<&String> = edges.iter().flat_map(|(a, b)| [a, b]).collect();
    fn visit<'a>(
        n: &'a String,
        edges: &'a BTreeSet<(String, String)>,
        state: &mut BTreeMap<&'a String, u8>,
        path: &mut Vec<&'a String>,
    ) -> Option<Vec<String>> {
        state.insert(n, 1);
        path.push(n);
        for (_, to) in edges.iter().filter(|(from, _)| from == n) {
            match state.get(to).copied().unwrap_or(0) {
                1 => {
                    let start = path.iter().position(|p| *p == to).unwrap();
                    let mut c: Vec<String> = path[start..].iter().map(|s| s.to_string()).collect();
                    c.push(to.clone());
                    return Some(c);
                }
                0 => {
                    if let Some(c) = visit(to, edges, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(n, 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in nodes {
        if state.get(n).copied().unwrap_or(0) == 0
            && let Some(c) = visit(n, edges, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[test]
fn every_top_level_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let declared: Vec<String> =
        lib.lines().filter_map(|l| l.strip_prefix("pub mod ")).map(|m| m.trim_end_matches(';').to_string()).collect();
    assert!(declared.len() > 10, "{declared:?}");
    for m in declared {
        assert!(layer(&m).is_some(), "module `{m}` is in no layer of tests/architecture.rs and docs/architecture.md");
    }
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let g = graph();
    assert!(g.top.len() > 30, "the scan found too few edges to mean anything: {:?}", g.top);
    assert_eq!(cycle(&g.top), None);
}

#[test]
fn every_import_points_down_the_layers() {
    let upward: Vec<String> = graph()
        .top
        .iter()
        .filter(|(from, to)| layer(from) < layer(to))
        .map(|(from, to)| format!("{from} → {to}"))
        .collect();
    assert!(upward.is_empty(), "imports that point up the layers: {upward:?}");
}

#[test]
fn no_import_cycle_inside_a_folder() {
    for (folder, edges) in graph().inner {
        assert_eq!(cycle(&edges), None, "in src/{folder}/");
    }
}

#[test]
fn the_checker_finds_cycles_and_names() {
    // The scanner itself: grouped imports, nested groups, and a cycle.
    let names = names_after("use crate::{a, b::{c, d}, self};\nlet x = crate::e::f;", "crate::");
    assert_eq!(names, ["a", "b", "b", "e"]);
    let paths = paths_after("use crate::analysis::{compare::X, trend};\ncrate::report::layout::SHEETS", "crate::");
    let want: Vec<Vec<String>> = [["analysis", "compare"], ["analysis", "trend"], ["report", "layout"]]
        .iter()
        .map(|p| p.iter().map(|s| s.to_string()).collect())
        .collect();
    assert_eq!(paths, want);
    let edges: BTreeSet<(String, String)> =
        [("a", "b"), ("b", "c"), ("c", "a")].iter().map(|(x, y)| (x.to_string(), y.to_string())).collect();
    assert_eq!(cycle(&edges), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    let acyclic: BTreeSet<(String, String)> =
        [("a", "b"), ("a", "c"), ("b", "c")].iter().map(|(x, y)| (x.to_string(), y.to_string())).collect();
    assert_eq!(cycle(&acyclic), None);
}
