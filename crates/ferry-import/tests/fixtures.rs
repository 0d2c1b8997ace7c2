//! Each documented format, in English and a German variant, read back to exact counts.

mod common;

use common::{fixture, preview_of};
use ferry_core::model::{DataVolume, Reach};
use ferry_import::{Importer, Source};

const GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;

#[test]
fn google_user_list_counts_people_mail_and_drive() {
    let p = preview_of(&["google/users_en.csv"]);
    assert_eq!((p.people, p.inactive_people), (4, 1));
    let gmail = p.tool("gmail").unwrap();
    assert_eq!(gmail.users, 3, "Per never signed in and has no mail");
    assert_eq!(gmail.bytes, 5 * GIB / 2 + 800 * MIB + 300 * MIB);
    assert_eq!(gmail.reach, Some(Reach::Most));
    assert_eq!(gmail.data_volume, Some(DataVolume::Medium));
    let drive = p.tool("google_drive").unwrap();
    assert_eq!((drive.users, drive.power_users), (2, 1));
    assert_eq!(drive.bytes, 12 * GIB + 1_288_490_189);
    assert_eq!(p.files[0].rows, 5);
}

#[test]
fn the_same_list_re_saved_by_excel_reads_the_same() {
    // Semicolons, Windows-1252 and decimal commas, as Excel writes it in Norway/Germany.
    let en = preview_of(&["google/users_en.csv"]);
    let excel = preview_of(&["google/users_excel_1252.csv"]);
    assert_eq!(en.tools, excel.tools);
    assert_eq!(en.people, excel.people);
    let names: Vec<String> = excel.members().into_iter().map(|m| m.name).collect();
    assert!(names.contains(&"Åse Øvrebø".to_owned()), "{names:?}");
}

#[test]
fn google_groups_count_people_only() {
    let p = preview_of(&["google/group_members.csv"]);
    let groups: Vec<(&str, u64)> = p
        .groups
        .iter()
        .map(|g| (g.group.as_str(), g.members))
        .collect();
    assert_eq!(groups, [("alle@lag.example", 3), ("styret@lag.example", 2)]);
    assert_eq!(p.files[0].source, Source::GoogleGroupMembers);
}

#[test]
fn google_usage_report_in_english_and_german() {
    for file in ["google/user_usage_en.csv", "google/user_usage_de.csv"] {
        let p = preview_of(&[file]);
        assert_eq!(p.files[0].source, Source::GoogleUserUsage, "{file}");
        let users = |id| p.tool(id).map(|t| t.users);
        assert_eq!(users("gmail"), Some(3), "{file}");
        assert_eq!(users("google_docs"), Some(2), "{file}");
        assert_eq!(users("google_meet"), Some(2), "{file}");
        let drive = p.tool("google_drive").unwrap();
        assert_eq!(
            (drive.users, drive.power_users, drive.bytes),
            (2, 1, (12288 + 1229) * MIB)
        );
    }
}

#[test]
fn microsoft_active_users_in_english_and_german_utf16() {
    for file in ["m365/active_users_en.csv", "m365/active_users_de_utf16.txt"] {
        let p = preview_of(&[file]);
        assert_eq!(p.files[0].source, Source::M365ActiveUsers, "{file}");
        assert_eq!(
            (p.people, p.inactive_people),
            (3, 2),
            "{file}: blocked and unlicensed"
        );
        let names: Vec<String> = p.members().into_iter().map(|m| m.name).collect();
        assert_eq!(
            names,
            ["Anna Schmidt", "Jörg Müller", "Lena Weiß"],
            "{file}"
        );
    }
}

#[test]
fn mailbox_report_skips_deleted_mailboxes() {
    let p = preview_of(&["m365/mailbox_usage_en.csv"]);
    let o = p.tool("outlook").unwrap();
    assert_eq!((o.users, o.power_users, o.items), (2, 1, 19_640));
    assert_eq!(o.bytes, 12 * GIB + 2 * GIB + 100 * MIB);
}

#[test]
fn onedrive_report_in_english_and_german_excel() {
    for file in [
        "m365/onedrive_usage_en.csv",
        "m365/onedrive_usage_de_excel.csv",
    ] {
        let p = preview_of(&[file]);
        assert_eq!(p.files[0].source, Source::M365OneDrive, "{file}");
        let o = p.tool("onedrive").unwrap();
        assert_eq!(
            (o.users, o.items, o.bytes),
            (1, 938, 3 * GIB + 25_448_429),
            "{file}"
        );
    }
}

#[test]
fn sharepoint_and_teams_give_the_numbers_that_will_not_come_across() {
    let p = preview_of(&[
        "m365/sharepoint_site_usage_en.csv",
        "m365/teams_user_activity_en.csv",
    ]);
    let sp = p.tool("sharepoint").unwrap();
    assert_eq!((sp.items, sp.bytes), (6200, 25 * GIB));
    assert_eq!(p.tool("teams").unwrap().users, 2);
    let losses: Vec<(&str, u64)> = p.losses.iter().map(|l| (l.kind, l.count)).collect();
    assert_eq!(losses, [("chat_history", 1945), ("sharepoint_pages", 2)]);
}

#[test]
fn apps_report_with_concealed_names_counts_users() {
    let p = preview_of(&["m365/apps_usage_concealed_en.csv"]);
    assert!(p.concealed_names);
    let users = |id| p.tool(id).map(|t| (t.users, t.power_users));
    assert_eq!(users("outlook"), Some((3, 0)));
    assert_eq!(users("word"), Some((2, 0)));
    assert_eq!(
        users("excel"),
        Some((2, 2)),
        "desktop Excel users are power users"
    );
    assert_eq!(users("powerpoint"), Some((1, 0)));
    assert_eq!(users("teams"), Some((2, 0)));
    assert!(p.members().is_empty(), "no addresses, no members");
}

#[test]
fn takeout_index_counts_products_kinds_and_mbox() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("takeout-20261130T101010Z-001.zip");
    let entries: Vec<(String, u32)> = [
        ("Takeout/archive_browser.html", 10),
        ("Takeout/Drive/Report.docx", 1000),
        ("Takeout/Drive/Budget.xlsx", 2000),
        ("Takeout/Drive/Scan.pdf", 3000),
        ("Takeout/Drive/photo.jpg", 4000),
        (
            "Takeout/Mail/All mail Including Spam and Trash.mbox",
            50_000,
        ),
        ("Takeout/Google Photos/Album/IMG_1.jpg", 6000),
        ("Takeout/Google Photos/Album/IMG_2.heic", 7000),
        ("Takeout/Kalender/Kari.ics", 100),
    ]
    .iter()
    .map(|(n, s)| ((*n).to_owned(), *s))
    .collect();
    ferry_import::takeout::write_index_only_zip(std::fs::File::create(&zip).unwrap(), &entries)
        .unwrap();
    let mut import = Importer::default();
    assert_eq!(import.add_path(&zip).unwrap(), Source::Takeout);
    let p = import.preview();
    let t = p.takeout.as_ref().unwrap();
    assert_eq!((t.files, t.bytes), (8, 73_100));
    assert_eq!((t.mbox_files, t.mbox_bytes), (1, 50_000));
    let drive = t.products.iter().find(|p| p.folder == "Drive").unwrap();
    assert_eq!(
        (drive.files, drive.bytes, drive.tool),
        (4, 10_000, Some("google_drive"))
    );
    let cal = t.products.iter().find(|p| p.folder == "Kalender").unwrap();
    assert_eq!(cal.tool, Some("google_calendar"), "German folder names");
    let image = t.kinds.iter().find(|k| k.kind == "image").unwrap();
    assert_eq!((image.files, image.bytes), (3, 17_000));
    assert_eq!(p.tool("gmail").unwrap().bytes, 50_000);
    let losses: Vec<(&str, u64, u64)> = p
        .losses
        .iter()
        .map(|l| (l.kind, l.count, l.bytes))
        .collect();
    assert_eq!(
        losses,
        [("converted_documents", 2, 0), ("photos", 2, 13_000)]
    );
    assert!(fixture("README.md").exists());
}

/// Takeout splits a large export into parts (`…-001.zip`, `…-002.zip`): they add up,
/// and a part chosen twice counts once.
#[test]
fn takeout_parts_add_up_and_a_part_chosen_twice_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    let part = |n: u32, entries: &[(&str, u32)]| {
        let path = dir
            .path()
            .join(format!("takeout-20261201T100000Z-00{n}.zip"));
        let entries: Vec<(String, u32)> = entries
            .iter()
            .map(|(name, size)| ((*name).to_owned(), *size))
            .collect();
        ferry_import::takeout::write_index_only_zip(
            std::fs::File::create(&path).unwrap(),
            &entries,
        )
        .unwrap();
        path
    };
    let one = part(
        1,
        &[
            ("Takeout/Drive/Styret/Referat.docx", 4_000),
            (
                "Takeout/Mail/All mail Including Spam and Trash.mbox",
                900_000,
            ),
        ],
    );
    let two = part(
        2,
        &[
            ("Takeout/Drive/Bilder/IMG_0001.jpg", 6_000),
            ("Takeout/Google Photos/2025/IMG_0002.jpg", 3_000),
        ],
    );
    let mut import = Importer::default();
    import.add_path(&one).unwrap();
    import.add_path(&two).unwrap();
    import.add_path(&one).unwrap();
    let p = import.preview();
    let t = p.takeout.as_ref().unwrap();
    assert_eq!((t.parts, t.files, t.bytes), (2, 4, 913_000));
    let drive = t.products.iter().find(|p| p.folder == "Drive").unwrap();
    assert_eq!((drive.files, drive.bytes), (2, 10_000));
    assert_eq!(p.tool("google_drive").unwrap().bytes, 10_000);
    assert_eq!(p.tool("gmail").unwrap().bytes, 900_000);
    assert_eq!(t.converted_office_files, 1);
    assert_eq!(p.files.len(), 2, "one line per part");
}
