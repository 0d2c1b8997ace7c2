//! Time to make the exit-plan PDF of a 30-app plan, from the plan to the bytes.
//! Run with `cargo bench -p ferry-report --bench pdf`; `scripts/bench-pdf` runs it
//! next to the pandoc route a user would otherwise take and prints the ratio.
//!
//! Prints `median_ms=<n>` as its last line for the script to read.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

fn main() {
    // `cargo bench` passes `--bench`; plain runs pass nothing. Either way: measure.
    let plan = common::thirty_apps();
    let catalogue = common::catalogue();
    let runs: usize = std::env::var("FERRY_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(21);
    // The first run parses the fonts once per process; a desktop app pays that once.
    let first = Instant::now();
    let bytes = ferry_report::pdf::render(&ferry_report::build(&plan, &catalogue, common::today()))
        .expect("the PDF is made");
    let first_ms = first.elapsed().as_secs_f64() * 1000.0;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let doc = ferry_report::build(&plan, &catalogue, common::today());
        let pdf = ferry_report::pdf::render(&doc).expect("the PDF is made");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(pdf);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    if let Ok(dir) = std::env::var("FERRY_BENCH_OUT") {
        let dir = std::path::Path::new(&dir);
        std::fs::create_dir_all(dir).expect("bench output folder");
        std::fs::write(dir.join("thirty.pdf"), &bytes).expect("write pdf");
        let md = ferry_report::markdown::render(&ferry_report::build(
            &plan,
            &catalogue,
            common::today(),
        ));
        std::fs::write(dir.join("thirty.md"), md).expect("write markdown");
        let file = ferry_core::exchange::to_file_text(&plan);
        std::fs::write(dir.join("thirty.ferry.json"), file).expect("write plan");
    }
    println!(
        "ferry-report: 30-app plan, {} bytes; first run {first_ms:.1} ms (fonts parsed); median of {runs} runs {median:.1} ms (min {:.1}, max {:.1})",
        bytes.len(),
        times[0],
        times[times.len() - 1]
    );
    println!("median_ms={median:.2}");
}
