//! A minimal eframe window built like the app (same features, same renderer): the baseline
//! for the start-up benchmark in BENCHMARKS.md. With IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME set
//! it closes itself once the first frame is painted.

fn main() -> eframe::Result {
    let started = std::time::Instant::now();
    let exit_after_first = std::env::var_os("IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME").is_some();
    let mut frames = 0u32;
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]),
        ..Default::default()
    };
    eframe::run_ui_native("minimal", options, move |ui, _frame| {
        egui::CentralPanel::default().show(ui, |ui| ui.label("Hello"));
        frames += 1;
        if exit_after_first && frames == 2 {
            eprintln!("first frame after {:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
            ui.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    })
}
