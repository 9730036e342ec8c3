package convlab.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserMessagesTest {
    @Test void controlCharactersLineBreaksAndEscapesAreShownNotObeyed() {
        assertEquals("a⏎b⏎c d\\x1b[31m\\x07 \\u{202e}x", UserMessages.oneLine("a\r\nb\nc\td\u001b[31m\u0007 \u202ex"));
        assertEquals("'x⏎y'", UserMessages.quote("x\ny"));
        assertEquals("(no details)", UserMessages.oneLine(null));
    }

    @Test void longTextIsCutWithANote() {
        String q = UserMessages.quote("z".repeat(10_000));
        assertTrue(q.length() < 260 && q.contains("(9800 more characters not shown)"), q);
        assertTrue(UserMessages.oneLine("y".repeat(100_000)).length() < UserMessages.MAX_MESSAGE + 50);
    }

    @Test void exceptionsWithALocatedFormUseTheirOneLine() {
        IllegalArgumentException e = assertThrowsIae(() -> convlab.spec.Spec.parse("CONV3-4 POOLL2"));
        assertTrue(e.getMessage().contains("\n"), "the library keeps its caret display");
        assertEquals("bad spec: unknown layer 'POOLL2'", UserMessages.of(e).replaceAll(";.*", ""));
        assertTrue(UserMessages.of(e).endsWith("(at character 9: CONV3-4 ▸POOLL2◂)"), UserMessages.of(e));
    }

    private static IllegalArgumentException assertThrowsIae(Runnable r) {
        return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, r::run);
    }
}
