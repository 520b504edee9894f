package dev.mnistdrill.ui.control;

import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.layout.StackPane;
import javafx.scene.chart.XYChart;

/**
 * Colours a chart series by inline style, line and symbols, however late JavaFX creates their nodes. The charts
 * draw their own legend, so the default per-index colour classes do not matter.
 */
public final class ChartStyles {
    private ChartStyles() {
    }

    public static void apply(XYChart.Series<Number, Number> series, String color, boolean dashed, double width,
                             boolean symbols) {
        lineOnly(series, color, dashed, width);
        if (!symbols) {
            return;
        }
        String symbol = "-fx-background-color: " + color + ", white; -fx-background-insets: 0, 2;"
                + " -fx-background-radius: 5px; -fx-padding: 4px;";
        for (XYChart.Data<Number, Number> d : series.getData()) {
            styleData(d, symbol);
        }
        series.getData().addListener((ListChangeListener<XYChart.Data<Number, Number>>) c -> {
            while (c.next()) {
                for (XYChart.Data<Number, Number> d : c.getAddedSubList()) {
                    styleData(d, symbol);
                }
            }
        });
    }

    /**
     * Styles only the line of a series whose points need no marker (overlaid runs). The charts create no symbols
     * themselves ({@code setCreateSymbols(false)}): creating, labelling and styling ~15 symbol nodes per overlay is
     * what made ticking a run stall the FX thread for 50-110 ms.
     */
    public static void lineOnly(XYChart.Series<Number, Number> series, String color, boolean dashed, double width) {
        String line = "-fx-stroke: " + color + "; -fx-stroke-width: " + width + ";"
                + (dashed ? " -fx-stroke-dash-array: 7 5;" : "");
        styleNode(series.getNode(), line);
        series.nodeProperty().addListener((o, was, now) -> styleNode(now, line));
    }

    private static void styleData(XYChart.Data<Number, Number> d, String style) {
        if (d.getNode() == null) {
            // The charts create no symbols of their own (see lineOnly): a series that wants markers brings them.
            d.setNode(new StackPane());
        }
        styleNode(d.getNode(), style);
        d.nodeProperty().addListener((o, was, now) -> styleNode(now, style));
    }

    private static void styleNode(Node node, String style) {
        if (node != null) {
            node.setStyle(style);
        }
    }
}
