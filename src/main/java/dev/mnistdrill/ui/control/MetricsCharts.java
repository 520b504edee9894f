package dev.mnistdrill.ui.control;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.train.EpochMetrics;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunSummary;
import dev.mnistdrill.ui.util.Formats;
import dev.mnistdrill.ui.util.FrameQueue;
import dev.mnistdrill.ui.util.LossDownsampler;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * Accuracy per epoch (train, test, the 99.4% target), loss and learning rate, for the live run and for overlaid
 * stored runs. The accuracy axis is zoomed to 97-100% unless {@link #zoomedProperty()} is off.
 */
public final class MetricsCharts extends VBox {
    public static final double TARGET_PERCENT = 100 * DrillCriterion.TARGET;

    private final NumberAxis accX = epochAxis();
    private final NumberAxis accY = new NumberAxis();
    private final LineChart<Number, Number> accuracy = new LineChart<>(accX, accY);
    private final NumberAxis lossX = epochAxis();
    private final NumberAxis lossY = new NumberAxis();
    private final LineChart<Number, Number> loss = new LineChart<>(lossX, lossY);
    private final NumberAxis lrX = epochAxis();
    private final NumberAxis lrY = new NumberAxis();
    private final LineChart<Number, Number> lr = new LineChart<>(lrX, lrY);
    private final FlowPane legend = new FlowPane(14, 4);
    private final BooleanProperty zoomed = new SimpleBooleanProperty(this, "zoomed", true);

    private final XYChart.Series<Number, Number> target = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> train = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> test = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> lossSeries = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> testLossSeries = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> lrSeries = new XYChart.Series<>();
    /** The run's whole schedule, drawn before it trains: a step schedule's stairs, one cycle's climb and fall. */
    private final XYChart.Series<Number, Number> plannedLr = new XYChart.Series<>();
    private final List<XYChart.Series<Number, Number>> overlaySeries = new ArrayList<>();
    private List<RunRecord> overlays = List.of();
    /** Overlay series joining their chart and live points, one change per frame (see {@link #setOverlays}). */
    private final FrameQueue frames = new FrameQueue();
    private String liveName = "live run";
    /** "test (averaged weights)" when the run tests a moving average of its weights, not those that trained. */
    private String testName = "test";
    private int plannedEpochs = 15;
    private boolean perEpochLoss;

    public MetricsCharts() {
        getStyleClass().add("metrics-charts");
        setSpacing(6);
        for (LineChart<Number, Number> c : List.of(accuracy, loss, lr)) {
            c.setAnimated(false);
            c.setLegendVisible(false);
            c.getStyleClass().add("metrics-chart");
            c.setMinHeight(150);
            // Series that want markers bring their own nodes (ChartStyles); overlays then cost no symbol nodes.
            c.setCreateSymbols(false);
        }
        accuracy.setTitle("Accuracy per epoch");
        loss.setTitle("Training loss per batch (smoothed)");
        lr.setTitle("Learning rate (line: planned)");
        accY.setLabel("accuracy %");
        lossY.setLabel("loss");
        lrY.setLabel("learning rate");
        lossY.setForceZeroInRange(true);
        lrY.setForceZeroInRange(true);
        lrY.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number n) {
                return Formats.trim(n.doubleValue());
            }

            @Override
            public Number fromString(String s) {
                return Double.parseDouble(s);
            }
        });
        accY.setAutoRanging(false);
        zoomed.addListener(o -> applyZoom());
        applyZoom();

        accuracy.getData().add(target);
        accuracy.getData().add(train);
        accuracy.getData().add(test);
        loss.getData().add(lossSeries);
        loss.getData().add(testLossSeries);
        lr.getData().add(plannedLr);
        lr.getData().add(lrSeries);
        ChartStyles.lineOnly(target, Palette.TARGET, true, 1.5);
        ChartStyles.lineOnly(train, Palette.TRAIN, false, 2);
        ChartStyles.lineOnly(test, Palette.TEST, false, 2.5);
        ChartStyles.lineOnly(lossSeries, Palette.LOSS, false, 1.5);
        ChartStyles.lineOnly(testLossSeries, Palette.TEST, false, 2);
        ChartStyles.lineOnly(lrSeries, Palette.LR, false, 2);
        ChartStyles.lineOnly(plannedLr, Palette.LR + "80", false, 1.2); // half opacity: under the epochs' points

        HBox lower = new HBox(6, loss, lr);
        HBox.setHgrow(loss, Priority.ALWAYS);
        HBox.setHgrow(lr, Priority.ALWAYS);
        loss.setPrefWidth(600);
        lr.setPrefWidth(400);
        VBox.setVgrow(accuracy, Priority.ALWAYS);
        VBox.setVgrow(lower, Priority.SOMETIMES);
        accuracy.setPrefHeight(380);
        lower.setPrefHeight(240);
        legend.getStyleClass().add("chart-legend-bar");
        legend.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(legend, accuracy, lower);
        setPlannedEpochs(15);
        rebuildLegend();
    }

    private static NumberAxis epochAxis() {
        NumberAxis axis = new NumberAxis(0, 15, 1);
        axis.setAutoRanging(false);
        axis.setLabel("epoch");
        axis.setMinorTickVisible(false);
        return axis;
    }

    private void applyZoom() {
        if (zoomed.get()) {
            accY.setLowerBound(97);
            accY.setUpperBound(100);
            accY.setTickUnit(0.5);
        } else {
            accY.setLowerBound(0);
            accY.setUpperBound(100);
            accY.setTickUnit(10);
        }
    }

    /** Follows a live run: its epochs, its per-batch loss and its planned length. */
    public void bindLive(ObservableList<EpochMetrics> epochs, ObservableList<LossDownsampler.Point> points) {
        epochs.addListener((ListChangeListener<EpochMetrics>) c -> {
            while (c.next()) {
                if (c.wasRemoved() && epochs.isEmpty()) {
                    train.getData().clear();
                    test.getData().clear();
                    lrSeries.getData().clear();
                }
                for (EpochMetrics m : c.getAddedSubList()) {
                    // accuracy now, the learning rate in a later frame (this control's queue, behind any overlay
                    // still joining): two charts laid out and painted in one frame at an epoch's end made it too long
                    addAccuracy(m);
                    frames.submit(() -> {
                        if (epochs.contains(m)) { // not cleared by a new run meanwhile
                            addLearningRate(m);
                        }
                    });
                }
            }
        });
        points.addListener((ListChangeListener<LossDownsampler.Point>) c -> {
            while (c.next()) {
                if (c.wasRemoved() && points.isEmpty()) {
                    lossSeries.getData().clear();
                }
                List<XYChart.Data<Number, Number>> fresh = new ArrayList<>();
                for (LossDownsampler.Point p : c.getAddedSubList()) {
                    fresh.add(new XYChart.Data<>(p.epoch(), p.loss()));
                }
                lossSeries.getData().addAll(fresh);
            }
        });
    }

    private static String testName(ExperimentConfig config) {
        return config.averagesWeights() ? "test (averaged weights)" : "test";
    }

    /** Starts a new live run of {@code config}: clears the live curves and sets the epoch axis. */
    public void startLive(ExperimentConfig config) {
        liveName = config.name();
        testName = testName(config);
        train.getData().clear();
        test.getData().clear();
        lossSeries.getData().clear();
        testLossSeries.getData().clear();
        lrSeries.getData().clear();
        perEpochLoss = false;
        setPlannedEpochs(config.epochs());
        showPlannedRate(config);
        rebuildLegend();
    }

    /** Shows a stored run as the main curves (the Runs tab's detail). */
    public void showRun(RunRecord run) {
        liveName = run.config().name() + " (" + run.id() + ")";
        testName = testName(run.config());
        train.getData().clear();
        test.getData().clear();
        lossSeries.getData().clear();
        testLossSeries.getData().clear();
        lrSeries.getData().clear();
        perEpochLoss = true;
        loss.setTitle("Loss per epoch (train, test)");
        setPlannedEpochs(run.config().epochs());
        showPlannedRate(run.config());
        for (EpochMetrics m : run.epochs()) {
            addEpoch(m);
            lossSeries.getData().add(new XYChart.Data<>(m.epoch(), m.trainLoss()));
            testLossSeries.getData().add(new XYChart.Data<>(m.epoch(), m.testLoss()));
        }
        rebuildLegend();
    }

    /** Samples per epoch of the planned rate: enough for one cycle's curve, few enough to cost nothing to draw. */
    private static final int PLANNED_SAMPLES_PER_EPOCH = 8;

    /**
     * Draws {@code config}'s schedule over the epoch axis, where epoch e's point (its first step's rate) sits at e:
     * step s of an epoch of n steps is at 1 + s / n.
     */
    private void showPlannedRate(ExperimentConfig config) {
        List<XYChart.Data<Number, Number>> points = new ArrayList<>();
        if (config.problems().isEmpty()) {
            int perEpoch = config.batchesPerEpoch();
            for (int i = 0; i <= (config.epochs() - 1) * PLANNED_SAMPLES_PER_EPOCH; i++) {
                long step = Math.round((double) i * perEpoch / PLANNED_SAMPLES_PER_EPOCH);
                points.add(new XYChart.Data<>(1 + (double) step / perEpoch, config.learningRateAtStep(step)));
            }
        }
        plannedLr.getData().setAll(points);
    }

    private void addEpoch(EpochMetrics m) {
        addAccuracy(m);
        addLearningRate(m);
    }

    private void addAccuracy(EpochMetrics m) {
        train.getData().add(marked(m.epoch(), 100 * m.trainAccuracy(), Palette.TRAIN));
        test.getData().add(marked(m.epoch(), 100 * m.testAccuracy(), Palette.TEST));
    }

    private void addLearningRate(EpochMetrics m) {
        lrSeries.getData().add(marked(m.epoch(), m.learningRate(), Palette.LR));
    }

    public void setPlannedEpochs(int epochs) {
        plannedEpochs = epochs;
        updateEpochAxes();
    }

    private void updateEpochAxes() {
        int max = plannedEpochs;
        for (RunRecord r : overlays) {
            max = Math.max(max, r.config().epochs());
        }
        for (NumberAxis axis : List.of(accX, lossX, lrX)) {
            axis.setLowerBound(0);
            axis.setUpperBound(max);
            axis.setTickUnit(max > 20 ? 5 : 1);
        }
        var line = target.getData();
        if (line.size() != 2 || line.get(1).getXValue().intValue() != max) { // else the chart would re-lay out
            line.setAll(List.of(new XYChart.Data<>(0, TARGET_PERCENT), new XYChart.Data<>(max, TARGET_PERCENT)));
        }
    }

    /**
     * Overlays the test accuracy, per-epoch train loss and learning rate of {@code runs} in distinct colours. Runs
     * already shown (same place in the list, same epochs) keep their series: rebuilding every series and its symbol
     * nodes on each change cost the FX thread hundreds of ms. New series join their chart one per frame, for the
     * same reason: seven runs at once (21 series, 200 symbols to style and lay out) stalled it for ~450 ms.
     */
    public void setOverlays(List<RunRecord> runs) {
        List<RunRecord> next = List.copyOf(runs);
        int keep = 0;
        while (keep < next.size() && keep < overlays.size()
                && next.get(keep).id().equals(overlays.get(keep).id())
                && next.get(keep).epochs().size() == overlays.get(keep).epochs().size()) {
            keep++;
        }
        if (keep == next.size() && keep == overlays.size()) {
            return;
        }
        List<XYChart.Series<Number, Number>> stale = overlaySeries.subList(3 * keep, overlaySeries.size());
        if (!stale.isEmpty()) {
            accuracy.getData().removeAll(stale);
            loss.getData().removeAll(stale);
            lr.getData().removeAll(stale);
            stale.clear();
        }
        for (int i = keep; i < next.size(); i++) {
            RunRecord r = next.get(i);
            String color = Palette.overlay(i);
            XYChart.Series<Number, Number> acc = new XYChart.Series<>();
            acc.setName(r.id());
            XYChart.Series<Number, Number> l = new XYChart.Series<>();
            XYChart.Series<Number, Number> rate = new XYChart.Series<>();
            List<XYChart.Data<Number, Number>> accPoints = new ArrayList<>();
            List<XYChart.Data<Number, Number>> lossPoints = new ArrayList<>();
            List<XYChart.Data<Number, Number>> ratePoints = new ArrayList<>();
            for (EpochMetrics m : r.epochs()) {
                accPoints.add(new XYChart.Data<>(m.epoch(), 100 * m.testAccuracy()));
                lossPoints.add(new XYChart.Data<>(m.epoch(), m.trainLoss()));
                ratePoints.add(new XYChart.Data<>(m.epoch(), m.learningRate()));
            }
            acc.getData().setAll(accPoints);
            l.getData().setAll(lossPoints);
            rate.getData().setAll(ratePoints);
            ChartStyles.lineOnly(acc, color, true, 1.8);
            ChartStyles.lineOnly(l, color, true, 1.5);
            ChartStyles.lineOnly(rate, color, true, 1.5);
            joinLater(accuracy, acc);
            joinLater(loss, l);
            joinLater(lr, rate);
            overlaySeries.add(acc);
            overlaySeries.add(l);
            overlaySeries.add(rate);
        }
        overlays = next;
        updateEpochAxes();
        rebuildLegend();
    }

    /** Adds an overlay series to its chart in a frame of its own, unless it was taken off meanwhile. */
    private void joinLater(LineChart<Number, Number> chart, XYChart.Series<Number, Number> series) {
        frames.submit(() -> {
            if (overlaySeries.contains(series)) {
                chart.getData().add(series);
            }
        });
    }

    private static XYChart.Data<Number, Number> marked(Number x, Number y, String color) {
        XYChart.Data<Number, Number> point = new XYChart.Data<>(x, y);
        point.setNode(ChartStyles.marker(color));
        return point;
    }

    /**
     * Brings the legend up to date, keeping each row whose swatch stays and only changing its text: a new run
     * starting re-created every row before, nodes to style and lay out in the frame that answers the Start click.
     */
    private void rebuildLegend() {
        List<LegendEntry> wanted = new ArrayList<>();
        wanted.add(new LegendEntry(Palette.TRAIN, false, liveName + " train"));
        wanted.add(new LegendEntry(Palette.TEST, false, liveName + " " + testName));
        wanted.add(new LegendEntry(Palette.TARGET, true, "target 99.4%"));
        List<String> labels = overlays.stream().map(r -> Formats.runLabel(r, false)).toList();
        for (int i = 0; i < overlays.size(); i++) {
            // two runs of one preset started in the same minute: the seconds tell them apart (else the ids do)
            RunRecord r = overlays.get(i);
            String label = labels.get(i);
            if (labels.indexOf(label) != labels.lastIndexOf(label)) {
                String precise = Formats.runLabel(r, true);
                label = overlays.stream().filter(o -> o != r)
                        .anyMatch(o -> Formats.runLabel(o, true).equals(precise)) ? r.id()
                        : precise;
            }
            wanted.add(new LegendEntry(Palette.overlay(i), true, label + " test"));
        }
        var rows = legend.getChildren();
        for (int i = 0; i < wanted.size(); i++) {
            LegendEntry entry = wanted.get(i);
            if (i < rows.size() && entry.swatch().equals(rows.get(i).getUserData())) {
                Label label = (Label) ((HBox) rows.get(i)).getChildren().get(1);
                if (!label.getText().equals(entry.text())) {
                    label.setText(entry.text());
                }
            } else if (i < rows.size()) {
                rows.set(i, entry.row());
            } else {
                rows.add(entry.row());
            }
        }
        if (rows.size() > wanted.size()) {
            rows.remove(wanted.size(), rows.size());
        }
    }

    /** A legend row: a line swatch (solid or dashed) and its text. */
    private record LegendEntry(String color, boolean dashed, String text) {
        /** What tells two rows' swatches apart (kept as the row's user data). */
        String swatch() {
            return color + (dashed ? " dashed" : "");
        }

        HBox row() {
            HBox row = item(color, dashed, text);
            row.setUserData(swatch());
            return row;
        }
    }

    private static HBox item(String color, boolean dashed, String text) {
        Region swatch = new Region();
        swatch.getStyleClass().add("legend-swatch");
        swatch.setStyle("-fx-background-color: " + color + ";" + (dashed ? " -fx-opacity: 0.75;" : ""));
        swatch.setMinSize(dashed ? 10 : 18, 4);
        swatch.setMaxSize(dashed ? 10 : 18, 4);
        HBox box = dashed ? new HBox(2, swatch, dashSwatch(color)) : new HBox(swatch);
        HBox row = new HBox(6, box, new Label(text));
        row.setAlignment(Pos.CENTER_LEFT);
        box.setAlignment(Pos.CENTER);
        row.getStyleClass().add("legend-item");
        return row;
    }

    private static Region dashSwatch(String color) {
        Region r = new Region();
        r.setStyle("-fx-background-color: " + color + "; -fx-opacity: 0.75;");
        r.setMinSize(6, 4);
        r.setMaxSize(6, 4);
        return r;
    }

    public BooleanProperty zoomedProperty() {
        return zoomed;
    }

    public LineChart<Number, Number> accuracyChart() {
        return accuracy;
    }

    public LineChart<Number, Number> lossChart() {
        return loss;
    }

    public LineChart<Number, Number> learningRateChart() {
        return lr;
    }

    public XYChart.Series<Number, Number> trainSeries() {
        return train;
    }

    public XYChart.Series<Number, Number> testSeries() {
        return test;
    }

    public XYChart.Series<Number, Number> lossSeries() {
        return lossSeries;
    }

    public XYChart.Series<Number, Number> learningRateSeries() {
        return lrSeries;
    }

    public XYChart.Series<Number, Number> plannedLearningRateSeries() {
        return plannedLr;
    }

    public List<XYChart.Series<Number, Number>> overlaySeries() {
        return List.copyOf(overlaySeries);
    }

    public boolean isPerEpochLoss() {
        return perEpochLoss;
    }
}
