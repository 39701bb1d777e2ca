#![cfg(target_arch = "wasm32")]
//! Component tests: the whole App mounted in headless Chromium (through chromedriver),
//! driven like a user would, observed through the `data-testid` hooks.

use std::time::Duration;

use exposure_core::link;
use exposure_web::example::EXAMPLE_UNIT;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement, InputEvent, InputEventInit};
use yew::AppHandle;

wasm_bindgen_test_configure!(run_in_browser);

const BARE: &str = "[Unit]\nDescription=bare\n\n[Service]\nExecStart=/usr/bin/sleep infinity\n";

/// A mounted App; destroyed (listeners included) and removed on drop.
struct Mounted {
    root: Element,
    handle: Option<AppHandle<exposure_web::App>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
        self.root.remove();
    }
}

fn storage() -> web_sys::Storage {
    gloo::utils::window().local_storage().unwrap().unwrap()
}

/// Sets the URL fragment (as a link would), lets its `hashchange` pass, mounts the App, on a
/// first visit (nothing kept in local storage from another test).
async fn mount_with_hash(hash: &str) -> Mounted {
    // let the effects of an App a previous test unmounted run out first
    tick().await;
    for kept in [
        storage(),
        gloo::utils::window().session_storage().unwrap().unwrap(),
    ] {
        // the tab's own copy too: the page prefers it to local storage's
        for key in [
            "exposure.input",
            "exposure.set-aside",
            "exposure.version",
            "exposure.address",
        ] {
            kept.remove_item(key).unwrap();
        }
    }
    remount_with_hash(hash).await
}

/// Like [`mount_with_hash`], but as a reload: whatever the last App kept stays in storage.
async fn remount_with_hash(hash: &str) -> Mounted {
    gloo::utils::window().location().set_hash(hash).unwrap();
    tick().await;
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<exposure_web::App>::with_root(root.clone()).render();
    tick().await;
    Mounted {
        root,
        handle: Some(handle),
    }
}

/// Yew renders asynchronously: give the scheduler a turn.
async fn tick() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

impl Mounted {
    fn find(&self, testid: &str) -> Element {
        self.try_find(testid)
            .unwrap_or_else(|| panic!("no [data-testid={testid}] rendered"))
    }
    fn try_find(&self, testid: &str) -> Option<Element> {
        self.root
            .query_selector(&format!("[data-testid=\"{testid}\"]"))
            .unwrap()
    }
    fn all(&self, testid: &str) -> Vec<Element> {
        let list = self
            .root
            .query_selector_all(&format!("[data-testid=\"{testid}\"]"))
            .unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().dyn_into().unwrap())
            .collect()
    }
    fn text(&self, testid: &str) -> String {
        self.find(testid).text_content().unwrap_or_default()
    }
    fn textarea(&self) -> HtmlTextAreaElement {
        self.find("unit-input").dyn_into().unwrap()
    }
    /// Replaces the text as typing or pasting would: set the value, fire `input`.
    async fn type_text(&self, text: &str) {
        let ta = self.textarea();
        ta.set_value(text);
        let init = InputEventInit::new();
        init.set_bubbles(true);
        let ev = InputEvent::new_with_event_init_dict("input", &init).unwrap();
        ta.dispatch_event(&ev).unwrap();
        tick().await;
    }
    /// Picks `value` in the `<select>` with this test id, as a user would: set it, fire `change`.
    async fn choose(&self, testid: &str, value: &str) {
        let select: web_sys::HtmlSelectElement = self.find(testid).dyn_into().unwrap();
        select.set_value(value);
        assert_eq!(select.value(), value, "{testid} has no option {value:?}");
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let ev = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
        select.dispatch_event(&ev).unwrap();
        tick().await;
    }
    /// Chooses an example from the examples menu.
    async fn pick_example(&self, id: &str) {
        let item: HtmlElement = gloo::utils::document()
            .query_selector(&format!("[data-testid=\"example-item\"][value=\"{id}\"]"))
            .unwrap()
            .unwrap_or_else(|| panic!("no example {id:?}"))
            .dyn_into()
            .unwrap();
        item.click();
        tick().await;
    }
    /// The text carried by the share link's `#unit=` payload.
    fn shared_text(&self) -> String {
        let href = self.find("share-link").get_attribute("href").unwrap();
        let payload = href
            .strip_prefix("#unit=")
            .unwrap_or_else(|| panic!("share link {href:?} lacks #unit="));
        link::decode(payload.split('&').next().unwrap()).unwrap()
    }
}

/// `9.6`, `10.0`, `0.0`: digits, a dot, one digit.
fn assert_score_format(s: &str) {
    let (int, frac) = s
        .split_once('.')
        .unwrap_or_else(|| panic!("{s:?} has no dot"));
    assert!(
        !int.is_empty() && int.len() <= 2 && int.bytes().all(|b| b.is_ascii_digit()),
        "{s:?}"
    );
    assert!(
        frac.len() == 1 && frac.bytes().all(|b| b.is_ascii_digit()),
        "{s:?}"
    );
}

fn score(s: &str) -> f64 {
    s.parse().unwrap()
}

#[wasm_bindgen_test]
async fn opens_with_the_example_and_its_assessment() {
    let app = mount_with_hash("").await;
    assert_eq!(app.textarea().value(), EXAMPLE_UNIT);
    assert_score_format(&app.text("exposure"));
    const PREDICATES: [&str; 7] = [
        "PERFECT",
        "SAFE",
        "OK",
        "MEDIUM",
        "EXPOSED",
        "UNSAFE",
        "DANGEROUS",
    ];
    assert!(PREDICATES.contains(&app.text("predicate").as_str()));
    assert!(app.try_find("notice").is_none());

    let checks = app.all("check");
    assert!(!checks.is_empty(), "no check rows");
    for row in &checks {
        let field = row.get_attribute("data-json-field").unwrap();
        assert!(!field.is_empty());
        let exposure = row.get_attribute("data-exposure").unwrap();
        if !exposure.is_empty() {
            assert_score_format(&exposure);
        }
        // the last cell shows the same text as the attribute
        let last = row.last_element_child().unwrap().text_content().unwrap();
        assert_eq!(last, exposure);
    }
    assert_eq!(app.shared_text(), EXAMPLE_UNIT);
    assert_eq!(
        app.text("version"),
        "as systemd 257 scores it — verified against real binaries"
    );
}

#[wasm_bindgen_test]
async fn the_version_selector_rescores_and_is_carried_by_the_link() {
    // PrivateTmp=disconnected counts from 257 on: 257 scores the unit lower than 252.
    let unit = "[Service]\nExecStart=/usr/bin/true\nPrivateTmp=disconnected\n";
    let app = mount_with_hash(&exposure_web::state::fragment_for(unit)).await;
    app.choose("systemd-version", "252").await;
    for _ in 0..100 {
        if app.text("version").starts_with("as systemd 252") {
            break;
        }
        tick().await;
    }
    let on_252 = app.text("exposure");
    let href = app.find("share-link").get_attribute("href").unwrap();
    assert!(href.ends_with("&v=252"), "{href}");
    app.choose("systemd-version", "257").await;
    for _ in 0..100 {
        if app.text("version").starts_with("as systemd 257") {
            break;
        }
        tick().await;
    }
    assert_eq!(
        app.text("version"),
        "as systemd 257 scores it — verified against real binaries"
    );
    assert_ne!(app.text("exposure"), on_252);
    // 257 is the default: the link does not need to say it.
    let href = app.find("share-link").get_attribute("href").unwrap();
    assert!(!href.contains("&v="), "{href}");
    assert_eq!(
        storage().get_item("exposure.version").unwrap().as_deref(),
        Some("257")
    );
    app.choose("systemd-version", "255").await;
    for _ in 0..100 {
        if app.text("version").starts_with("as systemd 255") {
            break;
        }
        tick().await;
    }
    assert_eq!(
        app.text("version"),
        "as systemd 255 scores it — derived from systemd's source"
    );
    // 249 reads no unit file: the page says why and keeps the selector to switch back.
    app.choose("systemd-version", "249").await;
    for _ in 0..100 {
        if app.try_find("no-unit").is_some() {
            break;
        }
        tick().await;
    }
    assert!(
        app.text("no-unit")
            .contains("systemd 249 has no offline mode")
    );
    app.choose("systemd-version", "257").await;
    // The strip: the unit's score under every version; a click chooses that version.
    for _ in 0..100 {
        if app.try_find("version-strip").is_some() {
            break;
        }
        tick().await;
    }
    let buttons = app.all("version-score");
    assert_eq!(buttons.len(), exposure_core::Version::all().count());
    let at = |id: &str| {
        buttons
            .iter()
            .find(|b| b.get_attribute("data-version").as_deref() == Some(id))
            .unwrap()
            .clone()
    };
    assert_eq!(at("249").text_content().unwrap(), "249–");
    let on_257 = app.text("exposure");
    assert_eq!(at("257").text_content().unwrap(), format!("257{on_257}"));
    let b: HtmlElement = at("252").dyn_into().unwrap();
    b.click();
    for _ in 0..100 {
        if app.text("version").starts_with("as systemd 252") {
            break;
        }
        tick().await;
    }
    assert_eq!(app.text("exposure"), on_252);
    app.choose("systemd-version", "257").await;
    storage().remove_item("exposure.version").unwrap();
}

#[wasm_bindgen_test]
async fn the_examples_menu_loads_each_example() {
    let app = mount_with_hash("").await;
    app.type_text(BARE).await;
    for e in exposure_web::example::EXAMPLES {
        app.pick_example(e.id).await;
        // re-analysis and advice take a while in a debug build: wait for the render
        for _ in 0..100 {
            if app.textarea().value() == e.text {
                break;
            }
            tick().await;
        }
        assert_eq!(app.textarea().value(), e.text, "{}", e.id);
        assert_eq!(app.shared_text(), e.text, "{}", e.id);
        assert_score_format(&app.text("exposure"));
        // the menu closes once an example is chosen
        let menu = app.find("examples").parent_element().unwrap();
        assert!(!menu.has_attribute("open"), "{}", e.id);
    }
    app.pick_example("show").await;
    let unit = app.find("unit").get_attribute("data-unit").unwrap();
    assert_eq!(unit, "metrics-agent.service");
}

const TWO_UNITS: &str = "# /etc/systemd/system/alpha.service\n[Service]\nExecStart=/usr/bin/alpha\n\n\
# /etc/systemd/system/beta.service\n[Service]\nExecStart=/usr/bin/beta\nDynamicUser=yes\nPrivateNetwork=yes\n";

#[wasm_bindgen_test]
async fn several_units_get_a_summary_and_one_breakdown_at_a_time() {
    let app = mount_with_hash("").await;
    assert!(app.try_find("summary").is_none(), "one unit: no summary");
    app.type_text(TWO_UNITS).await;
    let rows = app.all("summary-row");
    let names: Vec<_> = rows
        .iter()
        .map(|r| r.get_attribute("data-unit").unwrap())
        .collect();
    assert_eq!(names, ["alpha.service", "beta.service"]);
    let cells = |r: &Element| -> Vec<String> {
        let list = r.query_selector_all("td").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    let alpha = cells(&rows[0]);
    let beta = cells(&rows[1]);
    assert_score_format(&alpha[1]);
    assert!(score(&beta[1]) < score(&alpha[1]), "{beta:?} vs {alpha:?}");

    // the first unit is shown, alone, with the same score as its summary row
    let units = app.all("unit");
    assert_eq!(units.len(), 1);
    assert_eq!(
        units[0].get_attribute("data-unit").unwrap(),
        "alpha.service"
    );
    assert_eq!(app.text("exposure"), alpha[1]);
    assert_eq!(app.text("predicate"), alpha[2]);

    let button: HtmlElement = rows[1]
        .query_selector("button")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    button.click();
    for _ in 0..100 {
        tick().await;
        if app.find("unit").get_attribute("data-unit").as_deref() == Some("beta.service") {
            break;
        }
    }
    assert_eq!(app.all("unit").len(), 1);
    assert_eq!(
        app.find("unit").get_attribute("data-unit").unwrap(),
        "beta.service"
    );
    assert_eq!(app.text("exposure"), beta[1]);
}

/// Sets a checkbox as a click would: toggle it, fire `change`.
async fn set_checkbox(app: &Mounted, testid: &str, on: bool) {
    let input: web_sys::HtmlInputElement = app.find(testid).dyn_into().unwrap();
    if input.checked() != on {
        input.click();
    }
    tick().await;
}

#[wasm_bindgen_test]
async fn the_breakdown_sorts_filters_and_groups() {
    let app = mount_with_hash("").await;
    app.type_text(BARE).await;
    let fields = |app: &Mounted| -> Vec<(String, f64, String)> {
        app.all("check")
            .iter()
            .map(|r| {
                let e = r.get_attribute("data-exposure").unwrap();
                (
                    r.get_attribute("data-json-field").unwrap(),
                    if e.is_empty() { 0.0 } else { score(&e) },
                    r.get_attribute("class").unwrap_or_default(),
                )
            })
            .collect()
    };
    let by_contribution = fields(&app);
    assert!(
        by_contribution.windows(2).all(|w| w[0].1 >= w[1].1),
        "not by contribution: {by_contribution:?}"
    );

    // systemd's order is core's row order
    app.choose("sort", "systemd").await;
    let analysis = exposure_core::analyze(BARE, &exposure_core::Options::default());
    let systemd: Vec<_> = analysis.units[0]
        .rows
        .iter()
        .map(|r| r.json_field)
        .collect();
    let shown: Vec<_> = fields(&app).into_iter().map(|f| f.0).collect();
    assert_eq!(shown, systemd);

    set_checkbox(&app, "failing-only", true).await;
    let failing = fields(&app);
    assert!(!failing.is_empty() && failing.len() < systemd.len());
    assert!(failing.iter().all(|f| f.2 == "fail"), "{failing:?}");

    set_checkbox(&app, "failing-only", false).await;
    assert!(app.try_find("group-title").is_none());
    set_checkbox(&app, "group", true).await;
    let titles: Vec<_> = app
        .all("group-title")
        .iter()
        .map(|t| t.text_content().unwrap().trim().to_owned())
        .collect();
    assert!(
        titles.len() > 1 && titles.contains(&"File system".to_owned()),
        "{titles:?}"
    );
    assert_eq!(app.all("check").len(), systemd.len());
}

// Reloading with a kept text is covered end to end in tests/e2e (each page there has its own
// storage; the tests here share one and may overlap).
#[wasm_bindgen_test]
async fn clear_empties_the_text() {
    let app = mount_with_hash("").await;
    app.type_text(BARE).await;
    let clear: HtmlElement = app.find("clear").dyn_into().unwrap();
    clear.click();
    for _ in 0..100 {
        tick().await;
        if app.textarea().value().is_empty() {
            break;
        }
    }
    assert_eq!(app.textarea().value(), "");
    assert_eq!(app.shared_text(), "");
}

#[wasm_bindgen_test]
async fn every_edit_is_reanalyzed() {
    let app = mount_with_hash("").await;
    app.type_text(BARE).await;
    let bare = app.text("exposure");
    assert_score_format(&bare);

    // the override block suggests the boolean fixes of the bare unit
    let block = app.text("override");
    assert!(block.starts_with("[Service]\n"), "{block:?}");
    assert!(block.lines().any(|l| l == "PrivateTmp=yes"), "{block:?}");
    let private_tmp = app
        .root
        .query_selector("[data-testid=\"check\"][data-json-field=\"PrivateTmp\"]")
        .unwrap()
        .expect("a PrivateTmp row");
    assert!(
        !private_tmp
            .get_attribute("data-exposure")
            .unwrap()
            .is_empty()
    );

    // each row carries its teaching text, with the line that set the value
    let doc = private_tmp
        .query_selector("[data-testid=\"doc\"]")
        .unwrap()
        .expect("a doc under the PrivateTmp row");
    let doc_text = doc.text_content().unwrap_or_default();
    assert!(
        doc_text.contains("May break:") && doc_text.contains("PrivateTmp=yes"),
        "{doc_text}"
    );
    assert!(
        doc.query_selector("a[href*=\"systemd.exec\"]")
            .unwrap()
            .is_some()
    );

    // applying the suggestions lowers the score, and the link follows the text
    let hardened = format!("{BARE}{}", block.trim_start_matches("[Service]\n"));
    app.type_text(&hardened).await;
    let after = app.text("exposure");
    assert!(score(&after) < score(&bare), "{after} is not below {bare}");
    assert_eq!(app.shared_text(), hardened);
    assert!(!app.text("override").lines().any(|l| l == "PrivateTmp=yes"));
}

#[wasm_bindgen_test]
async fn a_unit_link_is_restored() {
    let text = "[Service]\nExecStart=/usr/bin/true\nPrivateTmp=yes\nDynamicUser=yes\n";
    let app = mount_with_hash(&format!("unit={}", link::encode(text))).await;
    assert_eq!(app.textarea().value(), text);
    assert_score_format(&app.text("exposure"));
    assert_eq!(app.shared_text(), text);
    assert!(app.try_find("notice").is_none());
}

#[wasm_bindgen_test]
async fn a_damaged_link_says_so_and_shows_the_example() {
    let app = mount_with_hash("unit=this*is*not*base64").await;
    let notice = app.text("notice");
    assert!(notice.contains("could not be opened"), "{notice}");
    assert!(notice.contains("example unit is shown instead"), "{notice}");
    assert_eq!(app.textarea().value(), EXAMPLE_UNIT);
    assert_score_format(&app.text("exposure"));
}

#[wasm_bindgen_test]
async fn garbage_gives_diagnostics_with_line_numbers_not_a_blank_page() {
    let app = mount_with_hash("").await;
    app.type_text("[Service]\nthis line is not an assignment\nExecStart=/bin/true\n")
        .await;
    let diags = app.all("diagnostic");
    assert!(!diags.is_empty(), "no diagnostics");
    assert!(
        diags
            .iter()
            .any(|d| d.get_attribute("data-line").as_deref() == Some("2")),
        "no diagnostic on line 2"
    );
    // the page still renders its hooks
    assert!(app.try_find("unit-input").is_some());
    assert!(app.try_find("share-link").is_some());

    // clicking the location selects that line in the text area
    let button: HtmlElement = app
        .root
        .query_selector("[data-testid=\"diagnostic\"][data-line=\"2\"] button")
        .unwrap()
        .expect("a location button")
        .dyn_into()
        .unwrap();
    button.click();
    tick().await;
    let ta = app.textarea();
    let start = ta.selection_start().unwrap().unwrap();
    assert!((10..=40).contains(&start), "selection starts at {start}");

    app.type_text("").await;
    assert!(app.try_find("unit-input").is_some());
}

#[wasm_bindgen_test]
async fn the_theme_button_cycles_light_dark_auto() {
    let app = mount_with_hash("").await;
    let html = gloo::utils::document_element();
    let button: HtmlElement = app
        .root
        .query_selector("button.theme")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(html.get_attribute("data-theme"), None);
    let mut seen = vec![];
    for expected in [Some("light"), Some("dark"), None] {
        button.click();
        // Yew renders and runs effects asynchronously; on a busy machine one tick may not be
        // enough, so wait (up to two seconds) for the attribute to change.
        for _ in 0..100 {
            tick().await;
            if html.get_attribute("data-theme").as_deref() == expected {
                break;
            }
        }
        seen.push(html.get_attribute("data-theme"));
    }
    assert_eq!(seen, [Some("light".into()), Some("dark".into()), None]);
}

#[wasm_bindgen_test]
async fn user_text_is_never_html() {
    let app = mount_with_hash("").await;
    let evil = "[Unit]\nDescription=<img src=x onerror=alert(1)><b>bold</b>\n[Service]\n<script>x</script>\n";
    app.type_text(evil).await;
    assert!(app.root.query_selector("img").unwrap().is_none());
    assert!(app.root.query_selector("b").unwrap().is_none());
    assert!(app.root.query_selector("script").unwrap().is_none());
    assert_eq!(app.textarea().value(), evil);
}

#[wasm_bindgen_test]
async fn unticking_a_suggestion_updates_the_prediction_and_the_link() {
    let app = mount_with_hash(&format!("unit={}", link::encode(BARE))).await;
    let predicted = || app.text("override-after");
    let all = predicted();
    let block = app.text("override");
    let first = app.all("suggestion")[0].clone();
    let setting = first.get_attribute("data-setting").unwrap();
    assert!(block.contains(&format!("\n{setting}=")), "{block}");
    let toggle: web_sys::HtmlInputElement = first
        .query_selector("[data-testid=suggestion-toggle]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(toggle.checked());
    toggle.click();
    tick().await;
    // The predicted score and the block change; the line stays listed, unticked.
    let without = predicted();
    assert_ne!(without, all);
    let after = |s: &str| {
        score(
            s.split('→')
                .nth(1)
                .unwrap()
                .split_whitespace()
                .next()
                .unwrap(),
        )
    };
    assert!(after(&without) > after(&all), "{all} / {without}");
    assert!(!app.text("override").contains(&format!("\n{setting}=")));
    let first = app.all("suggestion")[0].clone();
    assert_eq!(first.get_attribute("data-setting").unwrap(), setting);
    assert!(first.class_name().contains("left-out"));
    // The link carries the choice, and opening it restores it.
    let href = app.find("share-link").get_attribute("href").unwrap();
    assert!(
        href.ends_with(&format!("&off=unit.service:{setting}")),
        "{href}"
    );
    drop(app);
    let app = mount_with_hash(&href[1..]).await;
    assert_eq!(app.text("override-after"), without);
    // Ticking it again brings the first prediction back.
    let toggle: web_sys::HtmlInputElement = app.find("suggestion-toggle").dyn_into().unwrap();
    assert!(!toggle.checked());
    toggle.click();
    tick().await;
    assert_eq!(app.text("override-after"), all);
}

#[wasm_bindgen_test]
async fn a_long_link_warns_and_offers_a_download() {
    let app = mount_with_hash(&format!("unit={}", link::encode(BARE))).await;
    assert!(app.try_find("link-warning").is_none());
    // Text that does not compress: a link of well over 8 KB.
    let mut text = String::from("[Service]\nExecStart=/usr/bin/true\n");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..600 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        text.push_str(&format!("# {x:016x}{:016x}\n", x.rotate_left(29)));
    }
    app.type_text(&text).await;
    let warning = app.text("link-warning");
    assert!(warning.contains("KB long"), "{warning}");
    assert!(app.try_find("download").is_some());
    // The link itself still works.
    assert_eq!(app.shared_text(), text);
    app.type_text(BARE).await;
    assert!(app.try_find("link-warning").is_none());
}

#[wasm_bindgen_test]
async fn the_gutter_numbers_every_line_as_the_text_changes() {
    let app = mount_with_hash(&format!("unit={}", link::encode(BARE))).await;
    let count = || {
        let gutter = app.root.query_selector(".gutter").unwrap().unwrap();
        gutter
            .text_content()
            .unwrap_or_default()
            .split('\n')
            .count()
    };
    let a = count();
    let longer = format!("{BARE}\n\n\n\n\n\n");
    app.type_text(&longer).await;
    assert_eq!(app.textarea().value(), longer);
    assert_eq!(app.shared_text(), longer);
    let b = count();
    app.type_text("x\n").await;
    let c = count();
    // One number per line, the empty line after the last newline included.
    assert_eq!((a, b, c), (6, 12, 2));
}

#[wasm_bindgen_test]
async fn diagnostics_in_the_files_of_a_cat_paste_are_marked_and_selectable() {
    let app = mount_with_hash("").await;
    let text = "# /lib/systemd/system/a.service\n[Service]\nExecStart=/x\n\n# /etc/systemd/system/a.service.d/o.conf\n[Service]\nNoSuchKey=2\n";
    app.type_text(text).await;
    let d = app
        .root
        .query_selector("[data-testid=\"diagnostic\"][data-line=\"7\"]")
        .unwrap()
        .expect("a diagnostic on line 7, in the drop-in");
    assert!(
        d.text_content()
            .unwrap()
            .contains("line 7 (/etc/systemd/system/a.service.d/o.conf)")
    );
    // The gutter marks line 7 and says why.
    let mark = app
        .root
        .query_selector(".gutter .mark")
        .unwrap()
        .expect("a marked line");
    assert_eq!(mark.text_content().unwrap(), "7");
    assert!(
        mark.class_name().contains("mark-warning"),
        "{}",
        mark.class_name()
    );
    assert!(mark.get_attribute("title").unwrap().contains("NoSuchKey"));
    // Its location selects the line in the text area.
    let button: HtmlElement = d
        .query_selector("button")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    button.click();
    tick().await;
    let ta = app.textarea();
    let (from, to) = (
        ta.selection_start().unwrap().unwrap() as usize,
        ta.selection_end().unwrap().unwrap() as usize,
    );
    assert_eq!(&text[from..to], "NoSuchKey=2");
}

#[wasm_bindgen_test]
async fn a_long_text_is_advised_once_typing_pauses() {
    let app = mount_with_hash(&format!("unit={}", link::encode(BARE))).await;
    let before = app.text("override-after");
    // Over LIVE_ADVICE_LIMIT: the advice and the link wait for a pause.
    let long = format!(
        "{BARE}PrivateTmp=yes\n{}",
        "# a comment line to make the text long ...........................\n".repeat(1500)
    );
    assert!(long.len() > exposure_web::state::LIVE_ADVICE_LIMIT);
    app.type_text(&long).await;
    assert!(
        app.try_find("advice-stale").is_some(),
        "no note that the advice waits"
    );
    assert_eq!(
        app.text("override-after"),
        before,
        "the advice changed before the pause"
    );
    yew::platform::time::sleep(Duration::from_millis(
        u64::from(exposure_web::state::ADVICE_PAUSE_MS) + 200,
    ))
    .await;
    assert!(app.try_find("advice-stale").is_none());
    assert_ne!(
        app.text("override-after"),
        before,
        "PrivateTmp=yes should change the advice"
    );
    assert_eq!(app.shared_text(), long);
}

#[wasm_bindgen_test]
async fn a_template_of_a_cat_paste_can_be_assessed_as_an_instance() {
    let cat = "# /usr/lib/systemd/system/web@.service\n[Service]\nExecStart=/usr/bin/web\n\
               User=%i\nDynamicUser=no\n";
    let app = mount_with_hash(&exposure_web::state::fragment_for(cat)).await;
    let unit = |app: &Mounted| app.find("unit").get_attribute("data-unit").unwrap();
    assert_eq!(unit(&app), "web@test_instance.service");
    let input: web_sys::HtmlInputElement = app.find("unit-name").dyn_into().unwrap();
    input.set_value("web@shop.service");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    input.dispatch_event(&ev).unwrap();
    for _ in 0..100 {
        if unit(&app) == "web@shop.service" {
            break;
        }
        tick().await;
    }
    assert_eq!(unit(&app), "web@shop.service");
    let href = app.find("share-link").get_attribute("href").unwrap();
    assert!(href.ends_with("&name=web@shop.service"), "{href}");
}
