//! A member as the plan's member list names them (`sso.members_list`, CSV): what the
//! import writes and single sign-on reads. Here, not in ferry-sso, so that reading an
//! export needs no HTTP stack.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Member {
    pub name: String,
    pub email: String,
    /// As the provider names them; always includes the organisation's `members`.
    pub groups: Vec<String>,
}

impl Member {
    /// First name and the rest, for providers that keep them apart.
    pub fn split_name(&self) -> (String, String) {
        let name = self.name.trim();
        match name.split_once(' ') {
            Some((first, rest)) => (first.to_owned(), rest.trim().to_owned()),
            None => (name.to_owned(), String::new()),
        }
    }
}

/// The column separator of a member list: `;` when its first line has more of them
/// than commas (a spreadsheet saved in a language that writes decimal commas), else `,`.
pub fn delimiter_of(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_at_the_first_space_and_lists_say_their_separator() {
        let m = |name: &str| Member {
            name: name.into(),
            email: String::new(),
            groups: Vec::new(),
        };
        assert_eq!(
            m(" Kari  Nordmann ").split_name(),
            ("Kari".into(), "Nordmann".into())
        );
        assert_eq!(m("Kari").split_name(), ("Kari".into(), String::new()));
        assert_eq!(delimiter_of("name;email;groups\nA;a@x;board,members"), b';');
        assert_eq!(delimiter_of("name,email,groups"), b',');
    }
}
