//! How long the import takes on big exports: a 50,000-row Google user list (target
//! ≤ 200 ms) and a Takeout index of 200,000 entries claiming 20 GB (target ≤ 2 s).
//! `QUICK=1` runs a tenth of each and only reports. Run with `--release`
//! (scripts/bench-import does).

use std::time::Instant;

use ferry_import::Importer;
use ferry_import::takeout::write_index_only_zip;

const HEADER: &str = "First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Password Hash Function [UPLOAD ONLY],Org Unit Path [Required],New Primary Email [UPLOAD ONLY],Status [READ ONLY],Last Sign In [READ ONLY],Recovery Email,Home Secondary Email,Work Secondary Email,Recovery Phone [MUST BE IN THE E.164 FORMAT],Work Phone,Home Phone,Mobile Phone,Work Address,Home Address,Employee ID,Employee Type,Employee Title,Manager Email,Department,Cost Center,2sv Enrolled [READ ONLY],2sv Enforced [READ ONLY],Building ID,Floor Name,Floor Section,Email Usage [READ ONLY],Drive Usage [READ ONLY],Total Storage [READ ONLY],Change Password at Next Sign-In,New Status [UPLOAD ONLY]";

fn user_csv(rows: usize) -> Vec<u8> {
    let mut s = String::with_capacity(rows * 160);
    s.push_str(HEADER);
    s.push_str("\r\n");
    for i in 0..rows {
        let status = if i % 50 == 0 { "Suspended" } else { "Active" };
        s.push_str(&format!(
            "Person,Number {i},p{i}@example.org,****,,/Members,,{status},2026/11/0{} 10:00:00,,,,,,,,,,,,,,,,False,False,,,,{}.{} GB,{} MB,,False,\r\n",
            i % 9 + 1,
            i % 3,
            i % 10,
            i % 900,
        ));
    }
    s.into_bytes()
}

fn takeout_entries(n: usize, total_bytes: u64) -> Vec<(String, u32)> {
    let each = u32::try_from(total_bytes / n as u64).unwrap_or(u32::MAX);
    (0..n)
        .map(|i| {
            let name = match i % 10 {
                0..=5 => format!("Takeout/Drive/folder {}/file {i}.pdf", i % 100),
                6 => format!("Takeout/Drive/folder {}/doc {i}.docx", i % 100),
                7 => format!("Takeout/Google Photos/Photos from 2024/IMG_{i}.jpg"),
                8 => format!("Takeout/Mail/All mail Including Spam and Trash {i}.mbox"),
                _ => format!("Takeout/Calendar/cal {i}.ics"),
            };
            (name, each)
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let quick = std::env::var("QUICK").is_ok_and(|v| v == "1");
    let (rows, entries) = if quick {
        (5_000, 20_000)
    } else {
        (50_000, 200_000)
    };
    let total: u64 = if quick { 2_000_000_000 } else { 20_000_000_000 };

    let csv = user_csv(rows);
    let start = Instant::now();
    let mut import = Importer::default();
    import.add_bytes("User_Download.csv", &csv)?;
    let preview = import.preview();
    let csv_ms = start.elapsed().as_secs_f64() * 1000.0;
    println!(
        "user CSV: {rows} rows, {} KB, {csv_ms:.0} ms (target 200 ms); {} active people",
        csv.len() / 1024,
        preview.people
    );

    let dir = std::env::temp_dir().join(format!("ferry-bench-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let zip = dir.join("takeout-001.zip");
    write_index_only_zip(
        std::io::BufWriter::new(std::fs::File::create(&zip)?),
        &takeout_entries(entries, total),
    )?;
    let start = Instant::now();
    let mut import = Importer::default();
    import.add_path(&zip)?;
    let preview = import.preview();
    let zip_ms = start.elapsed().as_secs_f64() * 1000.0;
    let t = preview.takeout.as_ref().ok_or("no takeout summary")?;
    println!(
        "Takeout index: {} entries, {:.1} GB claimed, {} MB on disk, {zip_ms:.0} ms (target 2000 ms)",
        t.files,
        t.bytes as f64 / 1e9,
        std::fs::metadata(&zip)?.len() / 1_000_000,
    );
    std::fs::remove_dir_all(&dir)?;

    if !quick && (csv_ms > 200.0 || zip_ms > 2000.0) {
        eprintln!("slower than the targets");
        std::process::exit(1);
    }
    Ok(())
}
