// scratch: reqwest download floor
use std::time::Instant;
fn main() {
    let t0 = Instant::now();
    let url = std::env::args().nth(1).unwrap();
    let mode = std::env::args().nth(2).unwrap_or_default();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let t1 = Instant::now();
    rt.block_on(async {
        let client = if mode == "nocerts" {
            reqwest::Client::builder().gzip(true).tls_certs_only(std::iter::empty()).build().unwrap()
        } else {
            reqwest::Client::builder().gzip(true).build().unwrap()
        };
        let t2 = Instant::now();
        let mut resp = client.get(&url).send().await.unwrap();
        let t3 = Instant::now();
        let mut n = 0usize;
        while let Some(c) = resp.chunk().await.unwrap() {
            n += c.len();
        }
        let t4 = Instant::now();
        if mode != "q" {
            eprintln!(
                "rt {:.2} client {:.2} send {:.2} body {:.2} ({n})",
                (t1 - t0).as_secs_f64() * 1e3,
                (t2 - t1).as_secs_f64() * 1e3,
                (t3 - t2).as_secs_f64() * 1e3,
                (t4 - t3).as_secs_f64() * 1e3
            );
        }
    });
}
