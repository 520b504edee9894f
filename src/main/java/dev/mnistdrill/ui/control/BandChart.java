package dev.mnistdrill.ui.control;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.train.StudyVerdict.EpochBand;
import dev.mnistdrill.ui.util.Formats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.ClosePath;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import javafx.util.Duration;

/**
 * Test accuracy per epoch across a study's seeds: for each setting a shaded band from the lowest to the highest seed
 * and the seeds' mean as a line, with the target. The accuracy axis is zoomed by default to where the drill is
 * decided, a little below and above the target, since a band spread over 98.9-99.5% is a flat line on 0-100%.
 * Settings of a second study can be drawn beside (dashed means, their own colours), to compare two studies.
 */
public final class BandChart extends VBox {
    /** How far the zoomed accuracy axis reaches below the target (a fraction: 0.006 = 0.6 points). */
    public static final double ZOOM_BELOW = 0.006;
    /** How far the zoomed accuracy axis reaches above the target. */
    public static final double ZOOM_ABOVE = 0.003;
    /** Half the width of the band of a one-epoch study, in epochs: a single epoch has no area to shade. */
    private static final double SINGLE_EPOCH_HALF_WIDTH = 0.2;

    /**
     * One setting's bands as drawn.
     *
     * @param name          the legend's text
     * @param key           what {@link #highlight} picks it by (the setting's label: the same setting of a compared
     *                      study lights up with it)
     * @param color         CSS colour of its band and mean line
     * @param compared      drawn as the second study's: dashed mean and band edge
     * @param epochsPlanned how far the epoch axis reaches for it (bands of a study in progress stop earlier)
     */
    public record BandSeries(String name, String key, String color, boolean compared, int epochsPlanned,
                             List<EpochBand> bands) {
        public BandSeries {
            bands = List.copyOf(bands);
        }
    }

    private final NumberAxis epochAxis = new NumberAxis(1, 15, 1);
    private final NumberAxis accuracyAxis = new NumberAxis();
    private final Plot chart = new Plot(epochAxis, accuracyAxis);
    private final FlowPane legend = new FlowPane(14, 4);
    private static final String NOTHING_SHOWN = "Select a study to see its test accuracy across seeds";
    private final Label placeholder = new Label(NOTHING_SHOWN);
    private final BooleanProperty zoomed = new SimpleBooleanProperty(this, "zoomed", true);
    private final XYChart.Series<Number, Number> targetLine = new XYChart.Series<>();
    private final List<XYChart.Series<Number, Number>> means = new ArrayList<>();
    private final List<Path> areas = new ArrayList<>();
    private List<BandSeries> shown = List.of();
    private double target = DrillCriterion.TARGET;
    private Set<String> highlighted = Set.of();

    public BandChart() {
        getStyleClass().add("band-chart");
        setSpacing(4);
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        chart.setCreateSymbols(false); // the means bring their own markers, which carry the tooltips
        chart.getStyleClass().add("metrics-chart");
        chart.setTitle("Test accuracy across seeds");
        chart.setMinHeight(160);
        epochAxis.setAutoRanging(false);
        epochAxis.setLabel("epoch");
        epochAxis.setMinorTickVisible(false);
        accuracyAxis.setAutoRanging(false);
        accuracyAxis.setLabel("test accuracy %");
        accuracyAxis.setMinorTickVisible(false);
        chart.getData().add(targetLine);
        ChartStyles.lineOnly(targetLine, Palette.TARGET, true, 1.5);
        zoomed.addListener(o -> applyZoom());

        placeholder.getStyleClass().add("placeholder");
        placeholder.setMouseTransparent(true);
        StackPane plot = new StackPane(chart, placeholder);
        VBox.setVgrow(plot, Priority.ALWAYS);
        legend.getStyleClass().add("chart-legend-bar");
        legend.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(legend, plot);
        setSeries(List.of(), DrillCriterion.TARGET);
    }

    /**
     * "Zoom 98.8–99.7%": the zoomed range around {@code target}, for the check box that turns it off.
     */
    public static String zoomLabel(double target) {
        return String.format(Locale.ROOT, "Zoom %s–%s%%", DrillCriterion.percent(target - ZOOM_BELOW),
                DrillCriterion.percent(target + ZOOM_ABOVE));
    }

    /**
     * Draws {@code series} against {@code target} (a fraction), replacing what was drawn. The same bands again (a
     * study's verdict re-read while nothing changed) leave the chart as it is.
     */
    public void setSeries(List<BandSeries> series, double target) {
        List<BandSeries> next = List.copyOf(series);
        if (next.equals(shown) && target == this.target && !means.isEmpty()) {
            return;
        }
        this.target = target;
        chart.getData().removeAll(means);
        chart.removeAreas(areas);
        means.clear();
        areas.clear();
        shown = next;
        for (BandSeries s : shown) {
            Path area = new Path();
            area.getStyleClass().add("band-area");
            area.setFill(Color.web(s.color(), 0.2));
            area.setStroke(Color.web(s.color(), 0.55));
            area.setStrokeWidth(0.8);
            if (s.compared()) {
                area.getStrokeDashArray().setAll(5.0, 4.0);
            }
            area.setMouseTransparent(true);
            areas.add(area);
            chart.addArea(area);

            XYChart.Series<Number, Number> mean = new XYChart.Series<>();
            mean.setName(s.name());
            List<XYChart.Data<Number, Number>> points = new ArrayList<>();
            for (EpochBand b : s.bands()) {
                XYChart.Data<Number, Number> point = new XYChart.Data<>(b.epoch(), 100 * b.mean());
                point.setNode(marker(s, b));
                points.add(point);
            }
            mean.getData().setAll(points);
            ChartStyles.lineOnly(mean, s.color(), s.compared(), 2.2);
            means.add(mean);
        }
        chart.getData().addAll(means);
        updateEpochAxis();
        applyZoom();
        rebuildLegend();
        applyHighlight();
        chart.requestLayout();
    }

    /** Brings forward the series whose key is in {@code keys} and fades the others; empty shows all alike. */
    public void highlight(Set<String> keys) {
        highlighted = Set.copyOf(keys);
        applyHighlight();
    }

    private void applyHighlight() {
        for (int i = 0; i < shown.size(); i++) {
            boolean on = highlighted.isEmpty() || highlighted.contains(shown.get(i).key());
            areas.get(i).setOpacity(on ? 1 : 0.3);
            XYChart.Series<Number, Number> mean = means.get(i);
            if (mean.getNode() != null) {
                mean.getNode().setOpacity(on ? 1 : 0.25);
            }
            for (XYChart.Data<Number, Number> d : mean.getData()) {
                if (d.getNode() != null) {
                    d.getNode().setOpacity(on ? 1 : 0.25);
                }
            }
        }
    }

    /** A small mean marker that tells the epoch's spread on hover. */
    private Node marker(BandSeries s, EpochBand b) {
        StackPane marker = new StackPane();
        marker.setStyle("-fx-background-color: " + s.color() + ", white; -fx-background-insets: 0, 1.5;"
                + " -fx-background-radius: 4px; -fx-padding: 3px;");
        Tooltip tip = new Tooltip(String.format(Locale.ROOT, "%s%nepoch %d: mean %.2f%%, lowest %.2f%%, highest "
                        + "%.2f%%%nstandard deviation %.2f points over %d seed%s", s.name(), b.epoch(), 100 * b.mean(),
                100 * b.min(), 100 * b.max(), 100 * b.std(), b.seeds(), b.seeds() == 1 ? "" : "s"));
        tip.setShowDelay(Duration.millis(150));
        Tooltip.install(marker, tip);
        return marker;
    }

    private void updateEpochAxis() {
        int last = 1;
        for (BandSeries s : shown) {
            last = Math.max(last, s.epochsPlanned());
            for (EpochBand b : s.bands()) {
                last = Math.max(last, b.epoch());
            }
        }
        double lower = last < 2 ? 0 : 1;
        epochAxis.setLowerBound(lower);
        epochAxis.setUpperBound(last);
        epochAxis.setTickUnit(last > 20 ? 5 : 1);
        targetLine.getData().setAll(List.of(new XYChart.Data<>(lower, 100 * target),
                new XYChart.Data<>(last, 100 * target)));
    }

    private void applyZoom() {
        if (zoomed.get()) {
            double lower = Math.round(1000 * (target - ZOOM_BELOW)) / 10.0;
            accuracyAxis.setLowerBound(lower);
            accuracyAxis.setUpperBound(Math.min(100, Math.round(1000 * (target + ZOOM_ABOVE)) / 10.0));
            accuracyAxis.setTickUnit(0.1);
            // a study far from the target (a quick trial) would leave the zoomed chart empty: say where it is
            boolean allBelow = !shown.isEmpty() && shown.stream().flatMap(s -> s.bands().stream())
                    .allMatch(b -> 100 * b.max() < lower);
            placeholder.setText(shown.isEmpty() ? NOTHING_SHOWN : "Every seed is below " + Formats.trim(lower)
                    + "% here: untick the zoom to see the bands");
            placeholder.setVisible(shown.isEmpty() || allBelow);
            return;
        }
        placeholder.setText(NOTHING_SHOWN);
        placeholder.setVisible(shown.isEmpty());
        double lowest = 100 * target;
        for (BandSeries s : shown) {
            for (EpochBand b : s.bands()) {
                lowest = Math.min(lowest, 100 * b.min());
            }
        }
        double step = lowest >= 97 ? 0.5 : lowest >= 90 ? 1 : 10;
        double lower = Math.max(0, Math.floor(lowest / step) * step);
        double range = 100 - lower;
        accuracyAxis.setLowerBound(lower);
        accuracyAxis.setUpperBound(100);
        accuracyAxis.setTickUnit(range <= 3 ? 0.5 : range <= 10 ? 1 : range <= 30 ? 5 : 10);
    }

    private void rebuildLegend() {
        List<Node> items = new ArrayList<>();
        for (BandSeries s : shown) {
            items.add(bandItem(s));
        }
        items.add(lineItem(Palette.TARGET, "target " + DrillCriterion.percent(target) + "%"));
        if (!shown.isEmpty()) {
            Label how = new Label("shaded: lowest to highest seed · line: mean of the seeds");
            how.getStyleClass().add("hint");
            items.add(how);
        }
        legend.getChildren().setAll(items);
    }

    private static HBox bandItem(BandSeries s) {
        Region band = new Region();
        band.setStyle("-fx-background-color: " + rgba(s.color(), 0.25) + "; -fx-border-color: " + rgba(s.color(), 0.6)
                + "; -fx-border-width: 0.8;" + (s.compared() ? " -fx-border-style: segments(3, 2);" : ""));
        band.setMinSize(22, 12);
        band.setMaxSize(22, 12);
        Region line = new Region();
        line.setStyle("-fx-background-color: " + s.color() + ";");
        line.setMinSize(s.compared() ? 9 : 22, 2.5);
        line.setMaxSize(s.compared() ? 9 : 22, 2.5);
        StackPane swatch = new StackPane(band, line);
        if (s.compared()) {
            StackPane.setAlignment(line, Pos.CENTER_LEFT);
            Region dash = new Region();
            dash.setStyle("-fx-background-color: " + s.color() + ";");
            dash.setMinSize(7, 2.5);
            dash.setMaxSize(7, 2.5);
            StackPane.setAlignment(dash, Pos.CENTER_RIGHT);
            swatch.getChildren().add(dash);
        }
        HBox row = new HBox(6, swatch, new Label(s.name()));
        row.setAlignment(Pos.CENTER_LEFT);
        row.getStyleClass().add("legend-item");
        return row;
    }

    private static HBox lineItem(String color, String text) {
        Region a = new Region();
        a.setStyle("-fx-background-color: " + color + "; -fx-opacity: 0.75;");
        a.setMinSize(10, 3);
        a.setMaxSize(10, 3);
        Region b = new Region();
        b.setStyle("-fx-background-color: " + color + "; -fx-opacity: 0.75;");
        b.setMinSize(6, 3);
        b.setMaxSize(6, 3);
        HBox swatch = new HBox(2, a, b);
        swatch.setAlignment(Pos.CENTER);
        HBox row = new HBox(6, swatch, new Label(text));
        row.setAlignment(Pos.CENTER_LEFT);
        row.getStyleClass().add("legend-item");
        return row;
    }

    private static String rgba(String hex, double alpha) {
        Color c = Color.web(hex);
        return String.format(Locale.ROOT, "rgba(%d,%d,%d,%.2f)", (int) Math.round(255 * c.getRed()),
                (int) Math.round(255 * c.getGreen()), (int) Math.round(255 * c.getBlue()), alpha);
    }

    /** The band's outline through each epoch's highest seed, then back through each epoch's lowest. */
    private void trace(Path area, List<EpochBand> bands) {
        List<PathElement> outline = new ArrayList<>();
        if (bands.size() == 1) {
            EpochBand b = bands.get(0);
            double left = epochAxis.getDisplayPosition(b.epoch() - SINGLE_EPOCH_HALF_WIDTH);
            double right = epochAxis.getDisplayPosition(b.epoch() + SINGLE_EPOCH_HALF_WIDTH);
            double top = y(b.max());
            double bottom = y(b.min());
            outline.add(new MoveTo(left, top));
            outline.add(new LineTo(right, top));
            outline.add(new LineTo(right, bottom));
            outline.add(new LineTo(left, bottom));
            outline.add(new ClosePath());
        } else if (bands.size() > 1) {
            for (int i = 0; i < bands.size(); i++) {
                EpochBand b = bands.get(i);
                double x = epochAxis.getDisplayPosition(b.epoch());
                outline.add(i == 0 ? new MoveTo(x, y(b.max())) : new LineTo(x, y(b.max())));
            }
            for (int i = bands.size() - 1; i >= 0; i--) {
                EpochBand b = bands.get(i);
                outline.add(new LineTo(epochAxis.getDisplayPosition(b.epoch()), y(b.min())));
            }
            outline.add(new ClosePath());
        }
        area.getElements().setAll(outline);
    }

    private double y(double fraction) {
        return accuracyAxis.getDisplayPosition(100 * fraction);
    }

    /** The line chart with the bands' areas under its lines, traced again whenever the chart lays out. */
    private final class Plot extends LineChart<Number, Number> {
        Plot(NumberAxis x, NumberAxis y) {
            super(x, y);
        }

        void addArea(Path area) {
            getPlotChildren().add(0, area); // under every line
        }

        void removeAreas(List<Path> old) {
            getPlotChildren().removeAll(old);
        }

        @Override
        protected void layoutPlotChildren() {
            super.layoutPlotChildren();
            for (int i = 0; i < areas.size() && i < shown.size(); i++) {
                trace(areas.get(i), shown.get(i).bands());
            }
        }
    }

    public BooleanProperty zoomedProperty() {
        return zoomed;
    }

    /** What is drawn, in order. */
    public List<BandSeries> series() {
        return shown;
    }

    /** The shaded areas, one per series, in order. */
    public List<Path> bandAreas() {
        return List.copyOf(areas);
    }

    /** The mean lines, one per series, in order. */
    public List<XYChart.Series<Number, Number>> meanSeries() {
        return List.copyOf(means);
    }

    public LineChart<Number, Number> chart() {
        return chart;
    }

    public NumberAxis accuracyAxis() {
        return accuracyAxis;
    }

    public NumberAxis epochAxis() {
        return epochAxis;
    }

    public FlowPane legend() {
        return legend;
    }

    /** The note over the plot when there is nothing to see in it. */
    public Label placeholder() {
        return placeholder;
    }
}
