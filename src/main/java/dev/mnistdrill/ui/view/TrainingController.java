package dev.mnistdrill.ui.view;

import dev.mnistdrill.train.EpochMetrics;
import dev.mnistdrill.train.LayerStat;
import dev.mnistdrill.ui.control.LayerStatsComparison;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
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
    @FXML ToggleButton metricsToggle;
    @FXML ToggleButton layersToggle;
    @FXML ToggleGroup viewGroup;
    @FXML HBox compareBar;
    @FXML ComboBox<RunRecord> compareBox;
    @FXML Button uncompareButton;
    @FXML LayerStatsComparison layers;

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
        setUpLayers(vm);
    }

    /** The "Layers" view: the live run's layer statistics, and a saved run's under them on demand. */
    private void setUpLayers(TrainingViewModel vm) {
        viewGroup.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) {
                was.setSelected(true); // one view is always showing
            }
        });
        charts.visibleProperty().bind(metricsToggle.selectedProperty());
        charts.managedProperty().bind(metricsToggle.selectedProperty());
        layers.visibleProperty().bind(layersToggle.selectedProperty());
        layers.managedProperty().bind(layersToggle.selectedProperty());
        for (javafx.scene.Node metricsOnly : List.of(zoomBox, latestLabel, overlayHint)) {
            metricsOnly.visibleProperty().bind(metricsToggle.selectedProperty());
            metricsOnly.managedProperty().bind(metricsToggle.selectedProperty());
        }
        compareBar.visibleProperty().bind(layersToggle.selectedProperty());
        compareBar.managedProperty().bind(layersToggle.selectedProperty());
        metricsToggle.setTooltip(new Tooltip("Accuracy and loss per epoch; the learning rate as planned and per "
                + "epoch"));
        layersToggle.setTooltip(new Tooltip("Per convolution and epoch: the spread of its outputs before the ReLU "
                + "and the size of its weight updates (why BatchNorm helps)"));
        ComparedRun.wire(compareBox, uncompareButton, layers, context, () -> {
            java.nio.file.Path live = vm.runFolderProperty().get();
            return live == null ? "" : live.getFileName().toString();
        });
        layers.primary().show(List.of(), 15, "", "Start a run: each convolution's statistics arrive at the end "
                + "of every epoch. Compare with a saved run, e.g. code1 (no BatchNorm) with code2 (BatchNorm).");
        vm.configProperty().addListener((o, was, now) -> {
            if (now != null) {
                layers.primary().show(List.of(), now.epochs(), now.name() + " (live)",
                        "The first statistics arrive at the end of epoch 1.");
            }
        });
        vm.layerStats().addListener((ListChangeListener<LayerStat>) c -> {
            while (c.next()) {
                if (c.wasAdded()) {
                    layers.primary().add(List.copyOf(c.getAddedSubList()));
                }
            }
        });
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
        // short, beside the epoch's numbers in the toolbar; the tooltip says it in full
        overlayHint.setText(overlays.isEmpty() ? "Overlay runs from the Runs tab" : overlays.size() + " overlaid");
        overlayHint.setTooltip(new javafx.scene.control.Tooltip(overlays.isEmpty()
                ? "Tick runs in the Plot column of the Runs tab to draw them here"
                : overlays.size() + " run(s) from the Runs tab drawn as dashed lines"));
    }

    @FXML
    void exportPng() {
        boolean showingLayers = layersToggle.isSelected();
        java.nio.file.Path file = SaveDialog.png(charts.getScene().getWindow(), showingLayers
                ? "Save layer statistics as PNG" : "Save charts as PNG", showingLayers ? "mnist-drill-layers.png"
                : "mnist-drill-charts.png");
        if (file != null) {
            saveMessage.getStyleClass().remove("error");
            saveMessage.setText("Saving…");
            ChartImages.write(showingLayers ? layers : charts, file, context, showingLayers ? "Layer statistics"
                    : "Charts", saveMessage::setText, text -> {
                        saveMessage.getStyleClass().add("error");
                        saveMessage.setText(text);
                    });
        }
    }

    /** Shows the layer statistics (true) or the accuracy and loss charts. */
    public void showLayers(boolean show) {
        (show ? layersToggle : metricsToggle).setSelected(true);
    }

    public LayerStatsComparison layers() {
        return layers;
    }

    public ComboBox<RunRecord> compareBox() {
        return compareBox;
    }

    public MetricsCharts charts() {
        return charts;
    }
}
