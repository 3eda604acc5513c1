//! Gives the Windows build its icon and version resource (what Explorer shows under
//! Properties → Details), from `assets/icon.ico` and the package's name and version. Other
//! targets need nothing here.

fn main() {
    println!("cargo:rerun-if-changed=assets/icon.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let mut resource = winresource::WindowsResource::new();
    resource
        .set_icon("assets/icon.ico")
        .set("FileDescription", "ips-fidelity – IPS kvalitetsskala")
        .set("ProductName", "ips-fidelity")
        .set("LegalCopyright", "MIT OR Apache-2.0");
    // Cross-built from Linux, the resource compiler is mingw-w64's.
    if std::env::var("HOST").is_ok_and(|h| !h.contains("windows")) {
        resource.set_toolkit_path("/usr/bin").set_windres_path("x86_64-w64-mingw32-windres");
        resource.set_ar_path("x86_64-w64-mingw32-ar");
    }
    if let Err(e) = resource.compile() {
        // A Windows build without its icon and version is not one to hand out.
        eprintln!("cannot compile the Windows resource (is gcc-mingw-w64-x86-64 installed?): {e}");
        std::process::exit(1);
    }
}
