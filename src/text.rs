//! Text shown to people that came from input files: kept short, so a hostile cell cannot flood a message.

/// Text for a message: at most 40 characters, then "…(共 N 字)".
pub fn clip(s: &str) -> String {
    let n = s.chars().count();
    if n <= 40 { s.to_string() } else { format!("{}…(共 {n} 字)", s.chars().take(40).collect::<String>()) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_text_is_clipped_with_its_length() {
        assert_eq!(super::clip("北马镇"), "北马镇");
        let long = "字".repeat(41);
        assert_eq!(super::clip(&long), format!("{}…(共 41 字)", "字".repeat(40)));
    }
}
