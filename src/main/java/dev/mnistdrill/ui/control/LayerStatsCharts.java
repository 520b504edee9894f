package dev.mnistdrill.ui.control;

import dev.mnistdrill.train.LayerStat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
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

/**
 * One run's layer statistics per epoch, three charts in a row with a line per convolution: the mean and the standard
 * deviation of its outputs before the ReLU (on a fixed probe batch), and log10 of its weight updates' size next to
 * its weights'. Without BatchNorm the deeper layers' outputs drift and spread; with it they stay put.
 */
public final class LayerStatsCharts extends VBox {
    /** The three statistics, in chart order. */
    public enum Stat {
        MEAN("Pre-activation mean", "mean", LayerStat::preActivationMean),
        STD("Pre-activation std", "std", LayerStat::preActivationStd),
        UPDATE_RATIO("Update : weight (log10)", "log10 ratio", LayerStat::updateRatioLog10);

        final String title;
        final String axis;
        final ToDoubleFunction<LayerStat> value;

        Stat(String title, String axis, ToDoubleFunction<LayerStat> value) {
            this.title = title;
            this.axis = axis;
            this.value = value;
        }
    }

    /** Colours by depth, dark (first convolution) to warm (last). */
    private static final List<String> LAYER_COLOURS = List.of("#1f3b73", "#2f6fde", "#17becf", "#2ca02c", "#bcbd22",
            "#f58518", "#d62728", "#a05195", "#8c564b", "#7f7f7f");
    /** The rule of thumb for the update ratio: about 1/1000 of the weights per step. */
    public static final double RULE_OF_THUMB = -3;

    private final Label title = new Label();
    private final FlowPane legend = new FlowPane(12, 2);
    private final Map<Stat, LineChart<Number, Number>> charts = new LinkedHashMap<>();
    private final Map<Stat, NumberAxis> epochAxes = new LinkedHashMap<>();
    private final Map<Stat, NumberAxis> valueAxes = new LinkedHashMap<>();
    /** Per chart, a series per convolution (block - 1). */
    private final Map<Stat, List<XYChart.Series<Number, Number>>> series = new LinkedHashMap<>();
    private final XYChart.Series<Number, Number> ruleOfThumb = new XYChart.Series<>();
    private final List<LayerStat> stats = new ArrayList<>();
    private final Label empty = new Label();
    private int plannedEpochs = 15;
    private Runnable onChange = () -> { };

    public LayerStatsCharts() {
        getStyleClass().add("layer-stats-charts");
        setSpacing(4);
        title.getStyleClass().add("card-title");
        legend.getStyleClass().add("chart-legend-bar");
        empty.getStyleClass().add("hint");
        empty.setWrapText(true);
        empty.setMinHeight(Region.USE_PREF_SIZE);
        HBox row = new HBox(4);
        VBox.setVgrow(row, Priority.ALWAYS);
        getChildren().addAll(title, legend, empty, row);
        for (Stat stat : Stat.values()) {
            NumberAxis x = new NumberAxis(0, plannedEpochs, 1);
            x.setAutoRanging(false);
            x.setMinorTickVisible(false);
            x.setLabel("epoch");
            NumberAxis y = new NumberAxis();
            y.setLabel(stat.axis);
            y.setForceZeroInRange(stat == Stat.STD);
            LineChart<Number, Number> chart = new LineChart<>(x, y);
            chart.setTitle(stat.title);
            chart.setAnimated(false);
            chart.setLegendVisible(false);
            chart.setCreateSymbols(false);
            chart.getStyleClass().add("metrics-chart");
            chart.setMinHeight(140);
            chart.setPrefHeight(260);
            chart.setMinWidth(160);
            chart.setPrefWidth(300);
            chart.setMaxHeight(Double.MAX_VALUE);
            HBox.setHgrow(chart, Priority.ALWAYS);
            charts.put(stat, chart);
            epochAxes.put(stat, x);
            valueAxes.put(stat, y);
            series.put(stat, new ArrayList<>());
            row.getChildren().add(chart);
        }
        ChartStyles.lineOnly(ruleOfThumb, Palette.TARGET, true, 1.2);
        show(List.of(), 15, "", "No layer statistics yet.");
    }

    /** Replaces what is shown: {@code stats} of a run planned for {@code epochs}, under {@code heading}. */
    public void show(List<LayerStat> stats, int epochs, String heading, String whenEmpty) {
        this.stats.clear();
        this.stats.addAll(stats);
        plannedEpochs = Math.max(1, epochs);
        title.setText(heading);
        title.setVisible(heading != null && !heading.isEmpty());
        title.setManaged(title.isVisible());
        empty.setText(whenEmpty);
        rebuild();
    }

    /** Adds one epoch's statistics (a live run). */
    public void add(List<LayerStat> epoch) {
        boolean markedBefore = marked();
        stats.addAll(epoch);
        boolean newLayers = epoch.stream().anyMatch(s -> s.block() > series.get(Stat.MEAN).size());
        if (newLayers || markedBefore != marked()) {
            rebuild();
            return;
        }
        for (LayerStat s : epoch) {
            for (Stat stat : Stat.values()) {
                double v = stat.value.applyAsDouble(s);
                if (Double.isFinite(v)) {
                    series.get(stat).get(s.block() - 1).getData().add(point(s.epoch(), v, s.block()));
                }
            }
        }
        showEmpty();
        onChange.run();
    }

    private void rebuild() {
        for (Stat stat : Stat.values()) {
            charts.get(stat).getData().clear();
            series.get(stat).clear();
            epochAxes.get(stat).setUpperBound(plannedEpochs);
            epochAxes.get(stat).setTickUnit(plannedEpochs > 20 ? 5 : 1);
        }
        Map<Integer, String> layers = new LinkedHashMap<>();
        for (LayerStat s : stats) {
            layers.putIfAbsent(s.block(), s.layer());
        }
        int count = layers.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        for (Stat stat : Stat.values()) {
            List<XYChart.Series<Number, Number>> lines = series.get(stat);
            for (int b = 1; b <= count; b++) {
                XYChart.Series<Number, Number> line = new XYChart.Series<>();
                line.setName("conv " + b);
                lines.add(line);
            }
            for (LayerStat s : stats) {
                double v = stat.value.applyAsDouble(s);
                if (Double.isFinite(v)) {
                    lines.get(s.block() - 1).getData().add(point(s.epoch(), v, s.block()));
                }
            }
            charts.get(stat).getData().addAll(lines);
            for (int b = 0; b < lines.size(); b++) {
                ChartStyles.lineOnly(lines.get(b), colour(b + 1), false, 1.8);
            }
        }
        // as long as any epoch axis: the chart clips it to the one it has (a compared run's may be longer)
        ruleOfThumb.getData().setAll(List.of(new XYChart.Data<>(0, RULE_OF_THUMB),
                new XYChart.Data<>(1000, RULE_OF_THUMB)));
        if (count > 0) {
            charts.get(Stat.UPDATE_RATIO).getData().add(ruleOfThumb);
        }
        legend.getChildren().clear();
        for (Map.Entry<Integer, String> layer : layers.entrySet()) {
            legend.getChildren().add(legendItem(colour(layer.getKey()), "conv " + layer.getKey() + " · "
                    + layer.getValue()));
        }
        if (count > 0) {
            legend.getChildren().add(legendItem(Palette.TARGET, "update 10⁻³ of the weight (rule of thumb)"));
        }
        showEmpty();
        onChange.run();
    }

    private void showEmpty() {
        boolean none = stats.isEmpty();
        empty.setVisible(none);
        empty.setManaged(none);
    }

    /**
     * Points get markers only while there are a few epochs: a line of one point is invisible, and a marker node per
     * point of a 15-epoch run (over 300 in three charts) is a lot for the FX thread to style and lay out.
     */
    private boolean marked() {
        return stats.stream().mapToInt(LayerStat::epoch).distinct().count() <= 3;
    }

    private XYChart.Data<Number, Number> point(int epoch, double v, int block) {
        XYChart.Data<Number, Number> p = new XYChart.Data<>(epoch, v);
        if (marked()) {
            p.setNode(ChartStyles.marker(colour(block)));
        }
        return p;
    }

    public static String colour(int block) {
        return LAYER_COLOURS.get(Math.floorMod(block - 1, LAYER_COLOURS.size()));
    }

    private static HBox legendItem(String colour, String text) {
        Region swatch = new Region();
        swatch.setStyle("-fx-background-color: " + colour + ";");
        swatch.setMinSize(14, 4);
        swatch.setMaxSize(14, 4);
        HBox row = new HBox(5, swatch, new Label(text));
        row.setAlignment(Pos.CENTER_LEFT);
        row.getStyleClass().add("legend-item");
        return row;
    }

    /** The smallest and largest finite value of {@code stat} shown, or null when there is none. */
    public double[] range(Stat stat) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (LayerStat s : stats) {
            double v = stat.value.applyAsDouble(s);
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (stat == Stat.UPDATE_RATIO && lo <= hi) {
            lo = Math.min(lo, RULE_OF_THUMB);
            hi = Math.max(hi, RULE_OF_THUMB);
        }
        return lo <= hi ? new double[] {lo, hi} : null;
    }

    /** Fixes the value axis of {@code stat} to [lo, hi] (to compare with another run), or back to automatic. */
    public void setValueRange(Stat stat, double[] range) {
        NumberAxis axis = valueAxes.get(stat);
        if (range == null) {
            axis.setAutoRanging(true);
            return;
        }
        double lo = range[0];
        double hi = range[1];
        if (stat == Stat.STD) {
            lo = Math.min(0, lo);
        }
        if (hi - lo < 1e-9) {
            hi = lo + 1;
        }
        double unit = niceUnit((hi - lo) / 5);
        axis.setAutoRanging(false);
        axis.setLowerBound(Math.floor(lo / unit) * unit);
        axis.setUpperBound(Math.ceil(hi / unit) * unit);
        axis.setTickUnit(unit);
    }

    /** The epochs the x axes span. */
    public int plannedEpochs() {
        return plannedEpochs;
    }

    /** Fixes the epoch axes to {@code epochs} (to compare with a longer run). */
    public void setEpochRange(int epochs) {
        for (NumberAxis axis : epochAxes.values()) {
            axis.setUpperBound(epochs);
            axis.setTickUnit(epochs > 20 ? 5 : 1);
        }
    }

    private static double niceUnit(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double r = raw / magnitude;
        return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * magnitude;
    }

    /** Called after every change of what is shown. */
    public void setOnChange(Runnable onChange) {
        this.onChange = onChange == null ? () -> { } : onChange;
    }

    /** Shows or hides the legend and the charts' titles (a second run under a first needs neither again). */
    public void setHeadersShown(boolean shown) {
        legend.setVisible(shown);
        legend.setManaged(shown);
        for (Stat stat : Stat.values()) {
            charts.get(stat).setTitle(shown ? stat.title : null);
        }
    }

    /** The convolutions' tokens in order, e.g. [c8, c16, t8, ...]. */
    public List<String> layers() {
        Map<Integer, String> layers = new java.util.TreeMap<>();
        for (LayerStat s : stats) {
            layers.putIfAbsent(s.block(), s.layer());
        }
        return List.copyOf(layers.values());
    }

    /** The value axis of {@code stat}'s chart. */
    public NumberAxis valueAxis(Stat stat) {
        return valueAxes.get(stat);
    }

    /** The statistics shown. */
    public List<LayerStat> stats() {
        return List.copyOf(stats);
    }

    /** The series of {@code stat}, one per convolution (for tests). */
    public List<XYChart.Series<Number, Number>> series(Stat stat) {
        return List.copyOf(series.get(stat));
    }
}
