//! Browser glue: everything here needs a `window`.

use crate::state::{
    ADDRESS_KEY, Kept, SET_ASIDE_KEY, STORAGE_KEY, Theme, VERSION_KEY, unit_payload,
};

/// The current URL fragment, with its `#` (empty when there is none).
pub fn fragment() -> String {
    fragment_string(&gloo::utils::window())
}

/// Sets or clears `<html data-theme>`, which the style sheet reads.
pub fn apply_theme(theme: Theme) {
    let root = gloo::utils::document_element();
    let _ = match theme.attr() {
        Some(value) => root.set_attribute("data-theme", value),
        None => root.remove_attribute("data-theme"),
    };
}

/// Puts `text` on the clipboard (asynchronously; a refusal by the browser is ignored, the
/// text stays selectable in the page).
pub fn copy_to_clipboard(text: &str) {
    let clipboard = gloo::utils::window().navigator().clipboard();
    let _ = clipboard.write_text(text);
}

/// The tab's session storage (survives a reload and a restored session, and is the tab's
/// alone) and the origin's local storage (shared by every tab, for the next one opened).
fn storages() -> [Option<web_sys::Storage>; 2] {
    let window = gloo::utils::window();
    [
        window.session_storage().ok().flatten(),
        window.local_storage().ok().flatten(),
    ]
}

/// What the browser kept of the user's work: this tab's own copy when it has one (so another
/// tab's later work never replaces it on a reload), else the copy the last tab left. A store
/// with a text set aside but none shown (after Clear) counts as a copy.
pub fn kept() -> Kept {
    let [session, local] = storages();
    let version = local
        .as_ref()
        .and_then(|s| s.get_item(VERSION_KEY).ok().flatten());
    let address = session
        .as_ref()
        .and_then(|s| s.get_item(ADDRESS_KEY).ok().flatten());
    for storage in storages().into_iter().flatten() {
        let input = storage.get_item(STORAGE_KEY).ok().flatten();
        let set_aside = storage.get_item(SET_ASIDE_KEY).ok().flatten();
        if input.is_some() || set_aside.is_some() {
            return Kept {
                input,
                set_aside,
                version,
                address,
            };
        }
    }
    Kept {
        version,
        address,
        ..Kept::default()
    }
}

/// Remembers the systemd version chosen, in local storage, for the next visit.
pub fn keep_version(id: &str) {
    if let Some(storage) = &storages()[1] {
        let _ = storage.set_item(VERSION_KEY, id);
    }
}

/// Texts over this many bytes are not kept in the browser (browsers allow about 5 MB).
pub const STORE_LIMIT: usize = 4 << 20;

/// Keeps the user's text, and the text set aside, for a reload of this tab and for the next
/// tab (an empty text is not kept; the text set aside still is, e.g. the one Clear emptied).
/// `last` is what this tab wrote (or opened with) before: when the next tab's copy is neither that nor the text being written, another tab wrote it
/// since, and it becomes the next tab's set-aside text rather than being lost; a set-aside
/// text another tab left is kept unless this tab sets one aside of its own (the one this tab
/// set aside before and has now forgotten goes). When the
/// browser refuses a write (private mode, over its quota of about 5 MB) the older copy is
/// forgotten too, so a reload never brings back a text older than the one last shown.
pub fn keep(input: &str, set_aside: Option<&str>, last: Option<(&str, Option<&str>)>) {
    let (last, last_aside) = last.map_or((None, None), |(i, a)| (Some(i), a));
    let [session, local] = storages();
    let others = local.as_ref().and_then(|l| {
        let current = l.get_item(STORAGE_KEY).ok().flatten()?;
        (Some(current.as_str()) != last && current != input).then_some(current)
    });
    // With nothing of its own to set aside, this tab leaves the next tab's set-aside text as it
    // is (another tab's work), unless it is the text being written.
    let kept_aside = local
        .as_ref()
        .and_then(|l| l.get_item(SET_ASIDE_KEY).ok().flatten())
        .filter(|t| t != input && Some(t.as_str()) != last_aside);
    let for_local = others.as_deref().or(set_aside).or(kept_aside.as_deref());
    for (storage, set_aside) in [(session, set_aside), (local, for_local)] {
        let Some(storage) = storage else { continue };
        for (key, text) in [(STORAGE_KEY, Some(input)), (SET_ASIDE_KEY, set_aside)] {
            let text = text.filter(|t| !t.is_empty());
            // Over the quota anyway, and a synchronous write that large would stall the page.
            let written = text.is_some_and(|t| t.len() <= STORE_LIMIT)
                && text.is_some_and(|t| storage.set_item(key, t).is_ok());
            if !written {
                let _ = storage.remove_item(key);
            }
        }
    }
}

/// Puts `fragment` in the address bar, without a new history entry or a `hashchange`, so that
/// the address is a link to what the page shows, and a reload shows it. The fragment is noted
/// in the tab's session storage (see [`Kept::address`]). An address with a fragment of another
/// kind (not a `unit=` link) is left alone.
pub fn follow_link(fragment: &str) {
    let window = gloo::utils::window();
    let current = fragment_string(&window);
    let ours = current.is_empty() || current == "#" || unit_payload(&current).is_some();
    if !ours || current == fragment {
        return;
    }
    if let Some(session) = &storages()[0] {
        let _ = session.set_item(ADDRESS_KEY, fragment);
    }
    let url = page_url(fragment);
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

fn fragment_string(window: &web_sys::Window) -> String {
    window.location().hash().unwrap_or_default()
}

/// Calls `save` when the page is hidden or left (tab closed, switched away, navigated): the
/// last moment a write is sure to happen. Returns the listeners; dropping them stops this.
pub fn on_leave(save: impl Fn() + 'static) -> [gloo::events::EventListener; 2] {
    use gloo::events::EventListener;
    let save = std::rc::Rc::new(save);
    let window = gloo::utils::window();
    let document = gloo::utils::document();
    let on_hide = {
        let save = save.clone();
        EventListener::new(&window, "pagehide", move |_| save())
    };
    let on_visibility = EventListener::new(&document.clone(), "visibilitychange", move |_| {
        if document.hidden() {
            save();
        }
    });
    [on_hide, on_visibility]
}

/// The address of this page with `fragment` (which starts with `#`) instead of its own.
pub fn page_url(fragment: &str) -> String {
    let location = gloo::utils::window().location();
    let base = format!(
        "{}{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    format!("{base}{fragment}")
}

/// Offers `text` as a file download named `name`. Nothing leaves the page: the file is made
/// from an in-memory blob.
pub fn download(name: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/plain;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = gloo::utils::document()
        .create_element("a")
        .map(|e| e.unchecked_into::<web_sys::HtmlAnchorElement>())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Reads the files as text (see `exposure_core::input::text_from_bytes`) and hands them to
/// `done` as `(name, text)`; when together they are larger than `limit` bytes nothing is
/// read and `done` gets their total size.
pub fn read_files(
    list: &web_sys::FileList,
    limit: usize,
    done: impl FnOnce(Result<Vec<(String, String)>, usize>) + 'static,
) {
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    let total: f64 = files.iter().map(|f| f.size()).sum();
    if total > limit as f64 {
        done(Err(total as usize));
        return;
    }
    yew::platform::spawn_local(async move {
        let mut out = Vec::with_capacity(files.len());
        for f in files {
            // As bytes, read as systemd reads them (invalid UTF-8 as U+FFFF, which the parser
            // refuses as systemd does), exactly as the command line reads a file.
            let buffer = wasm_bindgen_futures::JsFuture::from(f.array_buffer()).await;
            if let Ok(buffer) = buffer {
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                out.push((f.name(), exposure_core::input::text_from_vec(bytes)));
            }
        }
        // Opening them (laid out as one text) is a task of its own: reading 15 MiB is work
        // enough for one.
        gloo::timers::callback::Timeout::new(0, move || done(Ok(out))).forget();
    });
}

/// Registers `sw.js` (written by the build, see `web/sw.js`), which keeps the app usable with
/// no network after the first visit. Browsers only allow it in a secure context (https, or
/// http on localhost); elsewhere the page simply works online only.
pub fn register_service_worker() {
    let window = gloo::utils::window();
    let navigator = window.navigator();
    if !window.is_secure_context()
        || !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false)
    {
        return;
    }
    // A failed registration (e.g. sw.js missing from a hand-made build) leaves the page
    // working online, and is not an error worth showing.
    let promise = navigator.service_worker().register("./sw.js");
    yew::platform::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}

/// A JavaScript string as a Rust one, fast for megabytes: the browser's own `TextEncoder`
/// makes the UTF-8 bytes and one copy brings them into WebAssembly. (The usual conversion
/// walks the string one character at a time in JavaScript: 160 ms for 10 MiB, against 50.)
pub fn string_from_js(value: &wasm_bindgen::JsValue) -> Option<String> {
    use js_sys::Reflect;
    use wasm_bindgen::JsCast;
    if !value.is_string() {
        return None;
    }
    let global = js_sys::global();
    let ctor: js_sys::Function = Reflect::get(&global, &"TextEncoder".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let encoder = Reflect::construct(&ctor, &js_sys::Array::new()).ok()?;
    let encode: js_sys::Function = Reflect::get(&encoder, &"encode".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let bytes: js_sys::Uint8Array = encode.call1(&encoder, value).ok()?.dyn_into().ok()?;
    // TextEncoder writes valid UTF-8 (lone surrogates become U+FFFD).
    String::from_utf8(bytes.to_vec()).ok()
}

/// The plain text of a clipboard event's data, if any, still a JavaScript string: a paste of
/// megabytes is brought into WebAssembly in steps ([`string_in_steps`]).
pub fn clipboard_value(data: &web_sys::DataTransfer) -> Option<js_sys::JsString> {
    use js_sys::Reflect;
    use wasm_bindgen::JsCast;
    let get: js_sys::Function = Reflect::get(data, &"getData".into())
        .ok()?
        .dyn_into()
        .ok()?;
    get.call1(data, &"text".into()).ok()?.dyn_into().ok()
}

/// UTF-16 code units of a JavaScript string converted per browser task by
/// [`string_in_steps`]: about 8 ms each.
const CONVERT_UNITS: u32 = 1 << 20;

/// Brings a JavaScript string into WebAssembly a slice per browser task (converting 16 MiB at
/// once blocked the page for 110 ms) and hands the whole text to `done`.
pub fn string_in_steps(value: js_sys::JsString, done: impl FnOnce(String) + 'static) {
    fn step(value: js_sys::JsString, at: u32, mut text: String, done: Box<dyn FnOnce(String)>) {
        let len = value.length();
        let mut end = at.saturating_add(CONVERT_UNITS).min(len);
        // Never split a surrogate pair between two slices (a high surrogate is 0xD800-0xDBFF).
        if end < len && (55296.0..56320.0).contains(&value.char_code_at(end - 1)) {
            end -= 1;
        }
        if let Some(part) = string_from_js(&value.substring(at, end).into()) {
            text.push_str(&part);
        }
        if end >= len {
            done(text);
        } else {
            gloo::timers::callback::Timeout::new(0, move || step(value, end, text, done)).forget();
        }
    }
    let capacity = value.length() as usize;
    step(value, 0, String::with_capacity(capacity), Box::new(done));
}
