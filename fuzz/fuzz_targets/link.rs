//! Arbitrary bytes as a share-link payload; valid UTF-8 also round-trips through the codec.
#![no_main]

use exposure_core::link::{self, LinkError, MAX_TEXT_BYTES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let payload = String::from_utf8_lossy(data);
    match link::decode(&payload) {
        Ok(text) => assert!(text.len() <= MAX_TEXT_BYTES),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let encoded = link::encode(text);
        let decoded = link::decode(&encoded);
        if text.len() <= MAX_TEXT_BYTES {
            assert_eq!(decoded.as_deref(), Ok(text));
        } else {
            assert_eq!(
                decoded,
                Err(LinkError::TooLarge {
                    limit: MAX_TEXT_BYTES
                })
            );
        }
    }
});
