/* SPDX-License-Identifier: MIT */
/* qr: QR codes as terminal text, with libqrencode (qr.h). */
#include "qr.h"

#include <qrencode.h>
#include <stdbool.h>

/* The quiet zone the standard asks for around the code, in modules. */
#define QR_QUIET 4

int qr_terminal(const char *text, struct buf *out)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return -1;
	int w = qr->width, size = w + 2 * QR_QUIET;
	/* Bit 0 of each module's byte is "dark". Outside the code: light. */
	for (int y = 0; y < size; y += 2) {
		for (int x = 0; x < size; x++) {
			bool light[2];
			for (int k = 0; k < 2; k++) {
				int cy = y + k - QR_QUIET, cx = x - QR_QUIET;
				bool inside = cy >= 0 && cy < w && cx >= 0 && cx < w;
				light[k] = !inside || !(qr->data[cy * w + cx] & 1);
			}
			/* Past the last row (odd size): light, as the quiet zone. */
			if (y + 1 >= size)
				light[1] = true;
			buf_puts(out, light[0] && light[1] ? "\u2588"
				      : light[0]		  ? "\u2580"
				      : light[1]		  ? "\u2584"
							  : " ");
		}
		buf_puts(out, "\n");
	}
	QRcode_free(qr);
	return 0;
}
