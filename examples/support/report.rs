//! The percentile line the latency examples print, one format for every figure the README quotes.

use std::time::Duration;

/// Prints `name`, the sample count, and p50 / p99 / max in milliseconds.
pub fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "an index into a short list"
        )]
        let index = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples[index].as_secs_f64() * 1e3
    };
    println!(
        "{name:<48} n={:<5} p50 {:>7.3} ms   p99 {:>7.3} ms   max {:>7.3} ms",
        samples.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}
