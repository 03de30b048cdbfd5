//! Writes a synthetic call's logs (a JSON array, as the API returns it) to stdout, for benches
//! and manual testing: `cargo run --release --example make_call -- 20000 [seed] > call.json`.

#[path = "../tests/support/synthetic.rs"]
mod synthetic;

use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(count), seed) = (args.first().and_then(|a| a.parse::<usize>().ok()), args.get(1)) else {
        eprintln!("usage: make_call <count> [seed] > call.json");
        return ExitCode::from(2);
    };
    let Ok(seed) = seed.map_or(Ok(1), |s| s.parse::<u64>()) else {
        eprintln!("make_call: the seed must be a non-negative integer");
        return ExitCode::from(2);
    };
    let text = synthetic::synthetic_logs_json(count, seed);
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("make_call: {err}");
            ExitCode::FAILURE
        }
    }
}
