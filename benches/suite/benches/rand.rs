//! Throughput of `puressl::rand::bytes` for small (32-byte) and large (16 KiB) requests,
//! and the cost of the fork check (`std::process::id()`) every request pays.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn bytes(c: &mut Criterion) {
    let mut group = c.benchmark_group("rand::bytes");
    for size in [32usize, 16 * 1024] {
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &size, |b, &n| {
            b.iter(|| black_box(puressl::rand::bytes(black_box(n))))
        });
    }
    group.finish();
}

fn fork_check(c: &mut Criterion) {
    c.bench_function("rand::fork_check (std::process::id)", |b| {
        b.iter(|| black_box(std::process::id()))
    });
}

criterion_group!(benches, bytes, fork_check);
criterion_main!(benches);
