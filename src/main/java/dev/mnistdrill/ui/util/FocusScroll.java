package dev.mnistdrill.ui.util;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;

/**
 * Keeps the focused control of a scrolling form in view: JavaFX's ScrollPane does not follow the focus, so tabbing
 * through a form taller than the window would type into fields the user cannot see.
 */
public final class FocusScroll {
    /** Room left above or below a revealed control, so that its label and border show too. */
    private static final double MARGIN = 10;

    private FocusScroll() {
    }

    /** From now on, whenever focus moves to a node inside {@code pane}'s content, scroll {@code pane} to show it. */
    public static void follow(ScrollPane pane) {
        pane.sceneProperty().addListener((o, old, scene) -> watch(pane, scene));
        watch(pane, pane.getScene());
    }

    private static void watch(ScrollPane pane, Scene scene) {
        if (scene != null) {
            scene.focusOwnerProperty().addListener((o, was, now) -> reveal(pane, now));
        }
    }

    /** Scrolls {@code pane} by as little as shows {@code node}, if it is inside the pane's content. */
    public static void reveal(ScrollPane pane, Node node) {
        Node content = pane.getContent();
        if (node == null || content == null || !inside(content, node)) {
            return;
        }
        double contentHeight = content.getLayoutBounds().getHeight();
        double viewHeight = pane.getViewportBounds().getHeight();
        double hidden = contentHeight - viewHeight;
        if (hidden <= 0) {
            return;
        }
        Bounds b = content.sceneToLocal(node.localToScene(node.getLayoutBounds()));
        double range = pane.getVmax() - pane.getVmin();
        double top = (pane.getVvalue() - pane.getVmin()) / range * hidden;
        if (b.getMinY() - MARGIN < top) {
            top = b.getMinY() - MARGIN;
        } else if (b.getMaxY() + MARGIN > top + viewHeight) {
            top = b.getMaxY() + MARGIN - viewHeight;
        } else {
            return;
        }
        pane.setVvalue(pane.getVmin() + Math.max(0, Math.min(1, top / hidden)) * range);
    }

    private static boolean inside(Node ancestor, Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }
}
