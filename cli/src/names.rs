//! Did-you-mean for check names given to `exposure explain`.

use exposure_core::checks::REGISTRY;

/// Edit distance between `a` and `b`, ignoring ASCII case.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The checks `name` may have meant, best first (at most 5): the closest names (a few typos
/// away), else those that contain it.
pub fn did_you_mean(name: &str) -> Vec<&'static str> {
    let key = name.trim().trim_end_matches('=');
    if key.is_empty() {
        return Vec::new();
    }
    let limit = 2.max(key.chars().count() / 4);
    let mut close: Vec<(usize, &'static str)> = REGISTRY
        .iter()
        .map(|c| {
            let d = distance(key, c.json_field).min(distance(key, c.name.trim_end_matches('=')));
            (d, c.json_field)
        })
        .filter(|&(d, _)| d <= limit)
        .collect();
    close.sort_by_key(|&(d, _)| d);
    if !close.is_empty() {
        return close.into_iter().take(5).map(|(_, f)| f).collect();
    }
    let lower = key.to_ascii_lowercase();
    REGISTRY
        .iter()
        .filter(|c| {
            c.json_field.to_ascii_lowercase().contains(&lower)
                || c.name.to_ascii_lowercase().contains(&lower)
        })
        .map(|c| c.json_field)
        .take(5)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn typos_and_fragments_find_their_checks() {
        assert_eq!(did_you_mean("PrivatTmp"), ["PrivateTmp"]);
        assert_eq!(did_you_mean("protectsytem="), ["ProtectSystem"]);
        assert_eq!(did_you_mean("NoNewPrivilege")[0], "NoNewPrivileges");
        let sys_admin = did_you_mean("SYS_ADMIN");
        assert_eq!(sys_admin, ["CapabilityBoundingSet_CAP_SYS_ADMIN"]);
        assert!(did_you_mean("Bogus").is_empty());
        assert!(did_you_mean("").is_empty());
    }
}
