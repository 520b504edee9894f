package dev.mnistdrill.ui.view;

import dev.mnistdrill.train.EpochMetrics;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.ui.control.MetricsCharts;
import dev.mnistdrill.ui.util.Formats;
import dev.mnistdrill.ui.vm.TrainingViewModel;
import java.util.List;
import java.util.Locale;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;

/** Progress and the live charts of the current run, with the overlaid stored runs. */
public final class TrainingController {
    private final WorkbenchContext context;

    @FXML ProgressBar epochBar;
    @FXML ProgressBar runBar;
    @FXML Label speedLabel;
    @FXML Label etaLabel;
    @FXML Label progressLabel;
    @FXML CheckBox zoomBox;
    @FXML Label latestLabel;
    @FXML Label overlayHint;
    @FXML Label saveMessage;
    @FXML MetricsCharts charts;

    public TrainingController(WorkbenchContext context) {
        this.context = context;
    }

    @FXML
    void initialize() {
        TrainingViewModel vm = context.training();
        epochBar.progressProperty().bind(vm.epochProgressProperty());
        runBar.progressProperty().bind(vm.runProgressProperty());
        speedLabel.textProperty().bind(vm.speedTextProperty());
        etaLabel.textProperty().bind(vm.etaTextProperty());
        progressLabel.textProperty().bind(vm.progressTextProperty());
        charts.zoomedProperty().bind(zoomBox.selectedProperty());
        charts.bindLive(vm.epochs(), vm.loss());
        vm.configProperty().addListener((o, was, now) -> {
            if (now != null) {
                charts.startLive(now);
            }
        });
        vm.epochs().addListener((ListChangeListener<EpochMetrics>) c -> showLatest(vm.epochs()));
        showLatest(vm.epochs());
        context.runs().overlays().addListener((ListChangeListener<RunRecord>) c -> showOverlays());
        showOverlays();
    }

    private void showLatest(List<EpochMetrics> epochs) {
        if (epochs.isEmpty()) {
            latestLabel.setText("");
            return;
        }
        EpochMetrics m = epochs.get(epochs.size() - 1);
        latestLabel.setText(String.format(Locale.ROOT, "Epoch %d: test %s · train %s", m.epoch(),
                Formats.percent(m.testAccuracy()), Formats.percent(m.trainAccuracy())));
    }

    private void showOverlays() {
        List<RunRecord> overlays = context.runs().overlays();
        charts.setOverlays(overlays);
        overlayHint.setText(overlays.isEmpty() ? "Overlay runs from the Runs tab"
                : overlays.size() + " run(s) overlaid (dashed)");
    }

    @FXML
    void exportPng() {
        java.nio.file.Path file = ChartImages.choosePng(charts.getScene().getWindow(), "Save charts as PNG",
                "mnist-drill-charts.png");
        if (file != null) {
            saveMessage.getStyleClass().remove("error");
            saveMessage.setText("Saving…");
            ChartImages.write(charts, file, context, saveMessage::setText, text -> {
                saveMessage.getStyleClass().add("error");
                saveMessage.setText(text);
            });
        }
    }

    public MetricsCharts charts() {
        return charts;
    }
}
