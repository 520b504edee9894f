package dev.mnistdrill.ui.control;

import javafx.collections.ListChangeListener;
import javafx.scene.Node;
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
        String line = "-fx-stroke: " + color + "; -fx-stroke-width: " + width + ";"
                + (dashed ? " -fx-stroke-dash-array: 7 5;" : "");
        String symbol = symbols ? "-fx-background-color: " + color + ", white; -fx-background-insets: 0, 2;"
                + " -fx-background-radius: 5px; -fx-padding: 4px;" : "-fx-background-color: transparent; -fx-padding: 0;";
        styleNode(series.getNode(), line);
        series.nodeProperty().addListener((o, was, now) -> styleNode(now, line));
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
     * Styles only the line of a series whose points need no marker (overlaid runs): each point gets a hidden
     * placeholder node, so the chart neither creates nor styles a symbol for it. Creating and styling ~15 symbols
     * per series is what made adding an overlay stall the FX thread for 50-110 ms.
     */
    public static void lineOnly(XYChart.Series<Number, Number> series, String color, boolean dashed, double width) {
        String line = "-fx-stroke: " + color + "; -fx-stroke-width: " + width + ";"
                + (dashed ? " -fx-stroke-dash-array: 7 5;" : "");
        styleNode(series.getNode(), line);
        series.nodeProperty().addListener((o, was, now) -> styleNode(now, line));
        for (XYChart.Data<Number, Number> d : series.getData()) {
            if (d.getNode() == null) {
                javafx.scene.layout.Region placeholder = new javafx.scene.layout.Region();
                placeholder.setVisible(false);
                d.setNode(placeholder);
            }
        }
    }

    private static void styleData(XYChart.Data<Number, Number> d, String style) {
        styleNode(d.getNode(), style);
        d.nodeProperty().addListener((o, was, now) -> styleNode(now, style));
    }

    private static void styleNode(Node node, String style) {
        if (node != null) {
            node.setStyle(style);
        }
    }
}
