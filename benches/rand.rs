//! Throughput of `puressl::rand::bytes` for small (32-byte) and large (16 KiB) requests.

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

criterion_group!(benches, bytes);
criterion_main!(benches);
