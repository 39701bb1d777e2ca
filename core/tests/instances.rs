//! `systemctl cat foo@bar.service` prints the template's path; the instance shows only in the
//! folders of the drop-ins. The unit is assessed as that instance, as systemd-analyze
//! assesses `foo@bar.service` next to `foo@.service` (an instance name is verified by the
//! conformance corpora, where `assessed_as` is recorded).

use exposure_core::{FileInput, InputKind, Options, analyze, analyze_unit};

const TEMPLATE: &str = "[Service]\nExecStart=/usr/bin/true\nUser=%i\nDynamicUser=no\n";
const DROPIN: &str = "[Service]\nPrivateTmp=yes\n";

fn cat(dropin_dir: &str) -> String {
    format!(
        "# /usr/lib/systemd/system/web@.service\n{TEMPLATE}\n\
         # /etc/systemd/system/{dropin_dir}/override.conf\n{DROPIN}"
    )
}

/// The same unit given as files, named as the instance.
fn as_files(name: &str) -> exposure_core::UnitReport {
    let f = |path, text| FileInput::whole(Some(path), text);
    let files = [
        f("web@.service", TEMPLATE),
        f("web@.service.d/override.conf", DROPIN),
    ];
    analyze_unit(name, &files, &Options::default()).unwrap()
}

#[test]
fn the_instance_comes_from_the_drop_in_folder() {
    let a = analyze(&cat("web@shop.service.d"), &Options::default());
    assert_eq!(a.kind, InputKind::SystemctlCat);
    let u = &a.units[0];
    assert_eq!(u.unit, "web@shop.service");
    let files = as_files("web@shop.service");
    assert_eq!(u.exposure, files.exposure);
    // User=%i is `shop`, not root: the identity row passes.
    let user = |r: &exposure_core::UnitReport| {
        r.rows
            .iter()
            .find(|r| r.json_field == "UserOrDynamicUser")
            .unwrap()
            .set
    };
    assert_eq!(user(u), Some(true));
    assert_eq!(user(u), user(&files));
}

#[test]
fn without_an_instance_folder_the_name_given_or_the_template_is_assessed() {
    // The template's own drop-in folder names no instance.
    let text = cat("web@.service.d");
    let a = analyze(&text, &Options::default());
    assert_eq!(a.units[0].unit, "web@test_instance.service");
    let named = Options {
        unit_name: Some("web@blog.service".into()),
        ..Options::default()
    };
    assert_eq!(analyze(&text, &named).units[0].unit, "web@blog.service");
    // A name that is not an instance of this template changes nothing.
    let other = Options {
        unit_name: Some("other@blog.service".into()),
        ..Options::default()
    };
    assert_eq!(
        analyze(&text, &other).units[0].unit,
        "web@test_instance.service"
    );
    // A drop-in folder of the instance wins over the name given.
    let a = analyze(&cat("web@shop.service.d"), &named);
    assert_eq!(a.units[0].unit, "web@shop.service");
}
