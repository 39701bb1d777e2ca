//! Prints the suggested drop-in for a unit file: `cargo run -p exposure-core --example advise -- FILE [TIER]`.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("FILE");
    let tier = args
        .next()
        .and_then(|t| exposure_core::advise::Tier::parse(&t))
        .unwrap_or(exposure_core::advise::Tier::Strict);
    let text = std::fs::read_to_string(&path).expect("readable file");
    let name = path.rsplit('/').next().unwrap();
    let f = [exposure_core::FileInput::whole(Some(&path), &text)];
    let a = exposure_core::advise::advise(name, &f, &Default::default(), tier).expect("advice");
    print!("{}", a.dropin);
}
