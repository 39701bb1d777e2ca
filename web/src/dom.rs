//! Browser glue: everything here needs a `window`.

use crate::state::{STORAGE_KEY, Theme};

/// The current URL fragment, with its `#` (empty when there is none).
pub fn fragment() -> String {
    gloo::utils::window().location().hash().unwrap_or_default()
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

fn storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

/// The input kept from the last visit, if the browser lets the page keep one.
pub fn stored_input() -> Option<String> {
    storage()?.get_item(STORAGE_KEY).ok().flatten()
}

/// Keeps `text` for the next visit (an empty text forgets it). A browser that refuses (private
/// mode, full quota) just gets nothing kept.
pub fn store_input(text: &str) {
    if let Some(s) = storage() {
        let _ = if text.is_empty() {
            s.remove_item(STORAGE_KEY)
        } else {
            s.set_item(STORAGE_KEY, text)
        };
    }
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

/// Reads the files as text (invalid UTF-8 replaced, as a browser does) and hands them to
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
            let text = wasm_bindgen_futures::JsFuture::from(f.text()).await;
            if let Some(t) = text.ok().and_then(|t| t.as_string()) {
                out.push((f.name(), t));
            }
        }
        done(Ok(out));
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
