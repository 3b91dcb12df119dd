//! Redaction benchmark: quality on the labelled corpus and notes per second (`cargo bench --bench redaction`).
//! A plain `main` (harness = false) so it needs no benchmarking crate.

use std::time::Duration;

use sous::redact::{Redactor, evaluate, measure_throughput, parse_corpus};

fn main() {
    let corpus = parse_corpus(include_str!("../tests/data/redaction_corpus.jsonl")).expect("corpus parses");
    let redactor = Redactor::new();
    println!("{}", evaluate(&redactor, &corpus));
    // Warm up caches and the allocator before timing.
    measure_throughput(&redactor, &corpus, Duration::from_millis(200));
    let per_second = measure_throughput(&redactor, &corpus, Duration::from_millis(1500));
    println!("throughput: {per_second:.0} notes/s ({:.1} µs/note)", 1e6 / per_second);
}
