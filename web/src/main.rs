//! Entry point of the bundle Trunk builds: mounts the app into `<div id="app">`.

fn main() {
    let document = gloo::utils::document();
    match document.get_element_by_id("app") {
        Some(root) => {
            root.set_text_content(None); // drop the "loading" placeholder
            yew::Renderer::<exposure_web::App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<exposure_web::App>::new().render();
        }
    }
    exposure_web::dom::register_service_worker();
}
