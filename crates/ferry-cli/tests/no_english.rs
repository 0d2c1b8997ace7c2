//! Every text the command line prints comes from the message catalogues: this fails on
//! words written into `src/` as string literals (outside attributes, so clap's `--help`
//! texts may stay, and outside test modules and `expect`/`panic!` messages for developers).
//!
//! A literal counts when it holds two or more words (`"No plans yet."`), or any word when
//! it is handed straight to a printing macro or a `Failure` (`println!("{}  NAME")`).
//! Placeholders, punctuation, keys (`"cli.plan.valid"`), names in code (`FERRY_LANG`,
//! `personal.{}`) and the program's own name are not words.

use std::path::{Path, PathBuf};

/// Callees whose string arguments reach the person at the terminal.
const PRINTERS: &[&str] = &[
    "println!",
    "print!",
    "eprintln!",
    "eprint!",
    "format!",
    "write!",
    "writeln!",
    "format_args!",
    "Failure::new",
    "Failure::with_code",
    "String::from",
];

/// Callees whose messages are for developers, never shown in a normal run.
const FOR_DEVELOPERS: &[&str] = &[
    "expect",
    "panic!",
    "unreachable!",
    "assert!",
    "assert_eq!",
    "assert_ne!",
    "debug_assert!",
    "todo!",
    "unimplemented!",
];

#[derive(Debug)]
struct Literal {
    line: usize,
    text: String,
    callee: String,
    /// Followed by `.into()`, `.to_owned()` or `.to_string()`: a value made to be shown.
    converted: bool,
}

struct Open {
    bracket: char,
    callee: String,
    /// Inside `#[…]`, or a block a `#[cfg(test)]` marks.
    skipped: bool,
}

/// The string literals of a Rust source file outside comments, attributes and test modules.
fn literals(src: &str) -> Vec<Literal> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let (mut i, mut line) = (0, 1);
    let mut test_block_next = false;
    let at = |k: usize| chars.get(k).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
        }
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && at(i + 1) == '*' {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && at(i + 1) == '/') {
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
            i += 2;
            continue;
        }
        if c == '\'' {
            // A char literal ('x', '\n', '"'), else a lifetime.
            if at(i + 1) == '\\' {
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
            }
            continue;
        }
        let raw_hashes = if c == 'r' && !is_ident(prev(&chars, i)) {
            let mut k = i + 1;
            while at(k) == '#' {
                k += 1;
            }
            (at(k) == '"').then_some(k - i - 1)
        } else {
            None
        };
        if c == '"' || raw_hashes.is_some() {
            let start_line = line;
            let mut text = String::new();
            if let Some(hashes) = raw_hashes {
                i += hashes + 2;
                let close: String = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                let close: Vec<char> = close.chars().collect();
                while i < chars.len() && chars[i..].iter().take(close.len()).ne(close.iter()) {
                    line += usize::from(chars[i] == '\n');
                    text.push(chars[i]);
                    i += 1;
                }
                i += close.len();
            } else {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        // A line continuation (`\` then a newline) is no character of its own.
                        if at(i + 1) == '\n' {
                            line += 1;
                            i += 2;
                            while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                                line += usize::from(chars[i] == '\n');
                                i += 1;
                            }
                            text.push(' ');
                            continue;
                        }
                        text.push(match at(i + 1) {
                            'n' | 'r' | 't' | '0' => ' ',
                            other => other,
                        });
                        i += 2;
                        continue;
                    }
                    line += usize::from(chars[i] == '\n');
                    text.push(chars[i]);
                    i += 1;
                }
                i += 1;
            }
            if stack.iter().any(|o| o.skipped) {
                continue;
            }
            let after: String = chars[i..].iter().take(16).collect();
            let converted = [".into()", ".to_owned()", ".to_string()"]
                .iter()
                .any(|m| after.starts_with(m));
            let callee = stack
                .last()
                .filter(|o| o.bracket == '(')
                .map(|o| o.callee.clone())
                .unwrap_or_default();
            out.push(Literal {
                line: start_line,
                text,
                callee,
                converted,
            });
            continue;
        }
        match c {
            '(' | '[' | '{' => {
                let attribute = c == '[' && (prev(&chars, i) == '#' || prev(&chars, i) == '!');
                let test_block = c == '{' && std::mem::take(&mut test_block_next);
                let inherited = stack.last().is_some_and(|o| o.skipped);
                stack.push(Open {
                    bracket: c,
                    callee: if c == '(' {
                        callee_before(&chars, i)
                    } else {
                        String::new()
                    },
                    skipped: inherited || attribute || test_block,
                });
                if attribute {
                    let rest: String = chars[i..].iter().take(12).collect();
                    test_block_next = rest.starts_with("[cfg(test)]");
                }
            }
            ')' | ']' | '}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn prev(chars: &[char], i: usize) -> char {
    if i == 0 { '\0' } else { chars[i - 1] }
}

/// `println!`, `Failure::new`, `expect` … for the `(` at `open`.
fn callee_before(chars: &[char], open: usize) -> String {
    let mut k = open;
    while k > 0 && chars[k - 1].is_whitespace() {
        k -= 1;
    }
    let end = k;
    while k > 0 && (is_ident(chars[k - 1]) || chars[k - 1] == ':' || chars[k - 1] == '!') {
        k -= 1;
    }
    chars[k..end].iter().collect()
}

/// Natural-language words: two letters or more, nothing but letters, `-` and `'`;
/// placeholders are left out, and a key or path (`cli.plan.valid`, `need.{id}.name`) is none.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|chunk| {
            let c: Vec<char> = chunk.chars().collect();
            !c.windows(2)
                .any(|w| w[0] == '.' && (w[1].is_alphabetic() || w[1] == '{'))
        })
        .map(|chunk| {
            let mut plain = String::new();
            let mut depth = 0_i32;
            for c in chunk.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth = (depth - 1).max(0),
                    _ if depth == 0 => plain.push(c),
                    _ => {}
                }
            }
            plain
        })
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_')
                .to_owned()
        })
        .filter(|w| w != "ferry-cli")
        .filter(|w| {
            w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && w.chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        })
        .collect()
}

fn english(lit: &Literal) -> bool {
    let name = lit.callee.rsplit("::").next().unwrap_or_default();
    if FOR_DEVELOPERS.contains(&lit.callee.as_str()) || FOR_DEVELOPERS.contains(&name) {
        return false;
    }
    let shown = lit.converted || PRINTERS.iter().any(|p| lit.callee.ends_with(p));
    let n = words(&lit.text).len();
    n >= 2 || (shown && n >= 1)
}

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flat_map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() {
                sources(&p)
            } else if p.extension().is_some_and(|x| x == "rs") {
                vec![p]
            } else {
                vec![]
            }
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_scanner_finds_what_it_should_and_nothing_else() {
    let src = r##"
        #[command(about = "Help text may stay English.")]
        fn f() {
            println!("No plans yet.");
            println!("{:<36}  NAME", x);
            let a = "must be filled in".into();
            eprintln!("ferry-cli: {}", say.t("cli.plan.valid", &[]));
            let k = format!("personal.{}", key);
            let d = p.format("%Y-%m-%d %H:%M");
            let c = '"'; let l: &'static str = "ok";
            Failure::new(say.t("cli.x", &[("name", "value")]));
            let r = r#"two words"#;
            x.expect("the order just kept");
            println!("  - {field}: {text}");
            let e = FERRY_LANG; let s = "FERRY_IDP_TOKEN";
            /* "block comment words" */
        }
        #[cfg(test)]
        mod tests { fn t() { assert_eq!(x, "English in a test is fine"); let y = "also fine here"; } }
        fn g() { let z = "after the tests"; }
    "##;
    let found: Vec<String> = literals(src)
        .into_iter()
        .filter(english)
        .map(|l| l.text)
        .collect();
    assert_eq!(
        found,
        [
            "No plans yet.",
            "{:<36}  NAME",
            "must be filled in",
            "two words",
            "after the tests"
        ]
    );
}

#[test]
fn no_english_is_written_into_the_command_line_source() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for file in sources(&dir) {
        let src = std::fs::read_to_string(&file).unwrap();
        let name = file.strip_prefix(&dir).unwrap().display().to_string();
        for lit in literals(&src).into_iter().filter(english) {
            found.push(format!("{name}:{}: {:?}", lit.line, lit.text));
        }
    }
    assert!(
        found.is_empty(),
        "{} texts written into crates/ferry-cli/src instead of messages/*.json (key cli.…):\n{}",
        found.len(),
        found.join("\n")
    );
}
