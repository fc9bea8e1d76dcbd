//! Text shown to people that came from input files: kept short, and inert on a terminal.
//!
//! A cell, a unit name or a file name may hold terminal control sequences
//! (`ESC[2J` clears the screen, `ESC]0;…BEL` retitles the window) or bidi
//! overrides that reorder what is shown. Everything zhili prints to a
//! terminal from its inputs goes through [`inert`] (one field) or
//! [`inert_lines`] (a message that may span lines), which show such
//! characters as visible escapes (`\x1B`, `\u{202E}`) instead of obeying them.

/// Text for a message: at most 40 characters, then "…(共 N 字)".
pub fn clip(s: &str) -> String {
    let n = s.chars().count();
    if n <= 40 { s.to_string() } else { format!("{}…(共 {n} 字)", s.chars().take(40).collect::<String>()) }
}

/// Whether a character would act on a terminal rather than show: C0 and C1
/// controls, DEL, and the bidi embedding, override and isolate marks.
fn acts(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn escape(c: char, out: &mut String) {
    use std::fmt::Write;
    let _ =
        if (c as u32) < 0x100 { write!(out, "\\x{:02X}", c as u32) } else { write!(out, "\\u{{{:04X}}}", c as u32) };
}

/// One field (a name, a code, a cell's text) made inert: every control
/// character, line breaks and tabs included, shown as a visible escape.
pub fn inert(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(acts) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if acts(c) { escape(c, &mut out) } else { out.push(c) }
    }
    std::borrow::Cow::Owned(out)
}

/// A message made inert, keeping its line breaks (and tabs): everything
/// else that would act on a terminal is shown as a visible escape.
pub fn inert_lines(s: &str) -> std::borrow::Cow<'_, str> {
    let keep = |c: char| c == '\n' || c == '\t';
    if !s.chars().any(|c| acts(c) && !keep(c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if acts(c) && !keep(c) { escape(c, &mut out) } else { out.push(c) }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_sequences_and_bidi_overrides_are_shown_not_obeyed() {
        assert_eq!(super::inert("北马镇\u{1b}[2J\u{1b}[H"), "北马镇\\x1B[2J\\x1B[H");
        assert_eq!(super::inert("\u{1b}]0;title\u{7}"), "\\x1B]0;title\\x07");
        assert_eq!(super::inert("abc\u{202E}fed"), "abc\\u{202E}fed");
        assert_eq!(super::inert("a\u{7f}b\u{85}c"), "a\\x7Fb\\x85c");
        assert_eq!(super::inert("两行\n文字"), "两行\\x0A文字");
        assert_eq!(super::inert_lines("第一行\n第二行\u{1b}[31m"), "第一行\n第二行\\x1B[31m");
        assert!(matches!(super::inert("普通文字 U01"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn long_text_is_clipped_with_its_length() {
        assert_eq!(super::clip("北马镇"), "北马镇");
        let long = "字".repeat(41);
        assert_eq!(super::clip(&long), format!("{}…(共 41 字)", "字".repeat(40)));
    }
}
