//! The layering of `src/` as `docs/architecture.md` draws it, checked: every top-level module
//! has a layer in the document's table, no import goes up a layer, and the imports between
//! top-level modules form no cycle. Test code (`#[cfg(test)]` onwards, `tests.rs`) is left out.
use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

/// `module -> layer` from the table under "## Layers" in `docs/architecture.md`: rows such as
/// ``| 3 | concerns | `history`, `forecast` |``.
fn layers(root: &Path) -> BTreeMap<String, u32> {
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).expect("docs/architecture.md");
    let section = doc.split("## Layers").nth(1).expect("a \"## Layers\" section");
    let mut layers = BTreeMap::new();
    for line in section.lines().take_while(|l| !l.starts_with("## ")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(level) = cells.get(1).and_then(|c| c.parse::<u32>().ok()) else { continue };
        let modules = cells.get(3).expect("a modules column");
        for module in modules.split(',').map(|m| m.trim().trim_matches('`')).filter(|m| !m.is_empty()) {
            assert!(layers.insert(module.to_owned(), level).is_none(), "{module} has two layers");
        }
    }
    assert!(!layers.is_empty(), "the layer table is empty");
    layers
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Top-level modules named after `crate::` in `code`, including the groups of `use crate::{..}`.
fn imports(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |text: &str| -> String { text.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect() };
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Names at depth 0 of the group.
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        start = false;
                        let name = ident(&group[i..]);
                        if !name.is_empty() && name != "self" {
                            found.insert(name);
                        }
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

/// `module -> modules it imports`, test code left out.
fn graph(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src/");
        let top = relative.components().next().expect("a component").as_os_str().to_string_lossy();
        let top = top.trim_end_matches(".rs").to_owned();
        if top == "lib" || top == "main" || file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let code = std::fs::read_to_string(&file).expect("a source file");
        let code = code.split("#[cfg(test)]").next().unwrap_or_default();
        let entry = graph.entry(top.clone()).or_default();
        entry.extend(imports(code).into_iter().filter(|m| *m != top));
    }
    graph
}

/// A cycle through `from`, if the graph has one reachable from it.
fn cycle(
    graph: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    let last = path.last().expect("a start").clone();
    for next in graph.get(&last).into_iter().flatten() {
        if let Some(at) = path.iter().position(|m| m == next) {
            let mut found = path[at..].to_vec();
            found.push(next.clone());
            return Some(found);
        }
        if done.contains(next) {
            continue;
        }
        path.push(next.clone());
        if let Some(found) = cycle(graph, path, done) {
            return Some(found);
        }
        path.pop();
    }
    done.insert(last);
    None
}

#[test]
fn every_module_has_a_layer_and_imports_only_its_own_layer_or_below() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let layers = layers(root);
    let graph = graph(root);
    let mut wrong = Vec::new();
    for (module, imported) in &graph {
        let Some(own) = layers.get(module) else {
            wrong.push(format!("src/{module} has no layer in docs/architecture.md"));
            continue;
        };
        for other in imported {
            match layers.get(other) {
                Some(layer) if layer > own => {
                    wrong.push(format!("{module} (layer {own}) imports {other} (layer {layer}), a layer above"))
                }
                Some(_) => {}
                None if graph.contains_key(other) => wrong.push(format!("{other} has no layer")),
                None => {}
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn top_level_modules_import_each_other_without_cycles() {
    let graph = graph(Path::new(env!("CARGO_MANIFEST_DIR")));
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        if let Some(found) = cycle(&graph, &mut vec![module.clone()], &mut done) {
            panic!("import cycle: {}", found.join(" -> "));
        }
    }
}

#[test]
fn the_import_reader_sees_grouped_and_plain_paths() {
    let code = "use crate::{cache::{self, X}, db::versions, error::ApiError};\nlet x = crate::plans::baseline::f();";
    let found: Vec<String> = imports(code).into_iter().collect();
    assert_eq!(found, ["cache", "db", "error", "plans"]);
}
