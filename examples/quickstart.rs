//! puressl quickstart: grows as features land.
fn main() {
    let r = puressl::rand::bytes(16);
    println!("puressl quickstart: 16 random bytes from puressl::rand: {r:02x?}");
}
