package dev.mnistdrill.ui.control;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.HPos;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;

/** confusion[true][predicted] as a 10x10 heat map: the diagonal in green, mistakes in red. */
public final class ConfusionMatrixView extends GridPane {
    private int[][] shown;
    /** The mistake cell picked by a click, as {true, predicted}; null for none. */
    private final ObjectProperty<int[]> picked = new SimpleObjectProperty<>(this, "picked");

    public ConfusionMatrixView() {
        getStyleClass().add("confusion-matrix");
        setHgap(2);
        setVgap(2);
        show(null);
    }

    public void show(int[][] confusion) {
        shown = confusion;
        picked.set(null);
        getChildren().clear();
        Label corner = new Label("true \\ pred");
        corner.getStyleClass().add("cm-corner");
        add(corner, 0, 0);
        for (int d = 0; d < 10; d++) {
            add(header(d), d + 1, 0);
            add(header(d), 0, d + 1);
        }
        if (confusion == null) {
            return;
        }
        int maxOff = 1;
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 10; p++) {
                if (t != p) {
                    maxOff = Math.max(maxOff, confusion[t][p]);
                }
            }
        }
        for (int t = 0; t < 10; t++) {
            int row = 0;
            for (int p = 0; p < 10; p++) {
                row += confusion[t][p];
            }
            for (int p = 0; p < 10; p++) {
                int n = confusion[t][p];
                Label cell = new Label(n == 0 ? "" : Integer.toString(n));
                cell.getStyleClass().add("cm-cell");
                cell.setAlignment(Pos.CENTER);
                cell.setMinSize(40, 26);
                double alpha;
                String rgb;
                if (t == p) {
                    alpha = row == 0 ? 0 : 0.25 + 0.6 * n / (double) row;
                    rgb = "44,160,44";
                } else {
                    alpha = n == 0 ? 0 : 0.15 + 0.75 * n / (double) maxOff;
                    rgb = "214,39,40";
                }
                cell.setStyle(String.format(java.util.Locale.ROOT, "-fx-background-color: rgba(%s,%.2f);", rgb, alpha));
                if (n > 0) {
                    cell.setTooltip(new Tooltip(n + " test digit(s) " + t + " predicted as " + p
                            + (t == p ? "" : "; click to show only these (again for all)")));
                }
                if (n > 0 && t != p) {
                    int[] here = {t, p};
                    cell.getStyleClass().add("cm-mistake");
                    cell.setOnMouseClicked(e -> pick(picked.get() != null
                            && java.util.Arrays.equals(picked.get(), here) ? null : here));
                }
                add(cell, p + 1, t + 1);
            }
        }
    }

    /** Picks a mistake cell ({true, predicted}) or none, and marks it. */
    public void pick(int[] cell) {
        picked.set(cell);
        for (var node : getChildren()) {
            Integer col = GridPane.getColumnIndex(node);
            Integer row = GridPane.getRowIndex(node);
            boolean on = cell != null && row != null && col != null && row == cell[0] + 1 && col == cell[1] + 1;
            node.getStyleClass().remove("cm-picked");
            if (on) {
                node.getStyleClass().add("cm-picked");
            }
        }
    }

    public ReadOnlyObjectProperty<int[]> pickedProperty() {
        return picked;
    }

    private static Label header(int d) {
        Label l = new Label(Integer.toString(d));
        l.getStyleClass().add("cm-header");
        l.setMinSize(26, 26);
        l.setAlignment(Pos.CENTER);
        GridPane.setHalignment(l, HPos.CENTER);
        return l;
    }

    public int[][] shown() {
        return shown;
    }
}
