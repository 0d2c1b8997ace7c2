//! Gmail's labels as IMAP folders and flags. Gmail keeps one message under many
//! labels; IMAP keeps a copy in each folder, which is also how Gmail's own IMAP shows
//! it. System labels become the standard folders (`Sent`, `Drafts`, `Junk`, `Trash`)
//! or flags (`Starred` → `\Flagged`, `Opened`/`Unread` → `\Seen` or not); Gmail's
//! tabs and markers (`Category …`, `Important`, `Archived`) are not folders. A message
//! with no folder label (archived mail) goes to `Archive`.

/// Where a message goes and how it is marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Folder paths, `/` between levels (the server's own separator is used when sent).
    pub folders: Vec<String>,
    pub seen: bool,
    pub flagged: bool,
    pub draft: bool,
    pub answered: bool,
    pub forwarded: bool,
}

impl Placement {
    /// The flags as an IMAP parenthesised list, e.g. `(\Seen \Flagged)`.
    pub fn imap_flags(&self) -> String {
        let mut f = Vec::new();
        if self.seen {
            f.push("\\Seen");
        }
        if self.flagged {
            f.push("\\Flagged");
        }
        if self.draft {
            f.push("\\Draft");
        }
        if self.answered {
            f.push("\\Answered");
        }
        if self.forwarded {
            f.push("$Forwarded");
        }
        format!("({})", f.join(" "))
    }
}

pub const INBOX: &str = "INBOX";
pub const ARCHIVE: &str = "Archive";

/// The placement of a message with `labels` (from `X-Gmail-Labels`), or, when the
/// message has none, from the name of the `.mbox` file it came from.
pub fn place(labels: Option<&[String]>, mbox_name: &str) -> Placement {
    let mut p = Placement {
        folders: Vec::new(),
        seen: true,
        flagged: false,
        draft: false,
        answered: false,
        forwarded: false,
    };
    let Some(labels) = labels else {
        p.folders.push(folder_for_file(mbox_name));
        return p;
    };
    for label in labels {
        let l = label.trim();
        match l.to_ascii_lowercase().as_str() {
            "inbox" => add(&mut p.folders, INBOX),
            "sent" | "sent mail" => add(&mut p.folders, "Sent"),
            "drafts" | "draft" => {
                add(&mut p.folders, "Drafts");
                p.draft = true;
            }
            "spam" => add(&mut p.folders, "Junk"),
            "trash" | "bin" => add(&mut p.folders, "Trash"),
            "chat" => add(&mut p.folders, "Chats"),
            "starred" => p.flagged = true,
            "unread" => p.seen = false,
            "opened" => {}
            "important" | "archived" | "all mail" => {}
            "imap_$forwarded" | "imap_\\forwarded" => p.forwarded = true,
            "imap_\\answered" | "imap_$answered" => p.answered = true,
            x if x.starts_with("category ") || x.starts_with("imap_") => {}
            "" => {}
            _ => {
                let folder = clean_folder(l);
                if !folder.is_empty() {
                    add(&mut p.folders, &folder);
                }
            }
        }
    }
    // Unread wins over Opened; a message Gmail never marked is taken as read.
    if p.folders.is_empty() {
        p.folders.push(ARCHIVE.to_owned());
    }
    p
}

fn add(folders: &mut Vec<String>, f: &str) {
    if !folders.iter().any(|x| x == f) {
        folders.push(f.to_owned());
    }
}

/// A label as a folder path: nested labels keep their `/`; empty levels and the
/// names `.`/`..` go; `INBOX/x` stays under the inbox.
pub fn clean_folder(label: &str) -> String {
    label
        .split('/')
        .map(|s| s.trim())
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .map(|s| s.chars().filter(|c| !c.is_control()).collect::<String>())
        .collect::<Vec<_>>()
        .join("/")
}

/// `Inbox.mbox` → `INBOX`, `All mail Including Spam and Trash.mbox` → `Archive`,
/// `Work.mbox` → `Work`.
pub fn folder_for_file(name: &str) -> String {
    let stem = name
        .rsplit('/')
        .next()
        .unwrap_or(name)
        .trim_end_matches(".mbox")
        .trim();
    match stem.to_ascii_lowercase().as_str() {
        "inbox" => INBOX.to_owned(),
        "sent" | "sent mail" => "Sent".to_owned(),
        "drafts" => "Drafts".to_owned(),
        "spam" => "Junk".to_owned(),
        "trash" => "Trash".to_owned(),
        s if s.starts_with("all mail") || s.is_empty() => ARCHIVE.to_owned(),
        _ => {
            let f = clean_folder(stem);
            if f.is_empty() { ARCHIVE.to_owned() } else { f }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn system_labels_become_folders_and_flags() {
        let p = place(
            Some(&labels(&[
                "Inbox",
                "Starred",
                "Unread",
                "Category Updates",
                "Work/2024",
            ])),
            "x",
        );
        assert_eq!(p.folders, ["INBOX", "Work/2024"]);
        assert!(p.flagged && !p.seen);
        assert_eq!(p.imap_flags(), "(\\Flagged)");
        let p = place(Some(&labels(&["Sent", "Opened", "IMAP_$Forwarded"])), "x");
        assert_eq!(
            (p.folders.as_slice(), p.imap_flags().as_str()),
            (&["Sent".to_owned()][..], "(\\Seen $Forwarded)")
        );
    }

    #[test]
    fn archived_mail_goes_to_archive_and_files_name_folders() {
        assert_eq!(
            place(Some(&labels(&["Archived", "Opened"])), "x").folders,
            ["Archive"]
        );
        assert_eq!(place(None, "Inbox.mbox").folders, ["INBOX"]);
        assert_eq!(
            place(None, "Mail/All mail Including Spam and Trash.mbox").folders,
            ["Archive"]
        );
        assert_eq!(
            place(Some(&labels(&["../../etc", "Lag/ Styre "])), "x").folders,
            ["etc", "Lag/Styre"]
        );
    }
}
