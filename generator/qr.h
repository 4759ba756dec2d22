/* SPDX-License-Identifier: MIT */
/*
 * qr: a QR code of a short text (sapan serve --lan prints its address so
 * that a phone's camera opens it). The only user of libqrencode.
 */
#ifndef SAPAN_QR_H
#define SAPAN_QR_H

#include "util.h"

/*
 * Appends to out the QR code of text, with its quiet zone, as lines of
 * Unicode half blocks (two rows of modules a line): a light module is
 * drawn as a block, a dark one as a space, so the code reads on a
 * terminal with light text on a dark background. Returns 0, or -1 when
 * the text cannot be encoded.
 */
int qr_terminal(const char *text, struct buf *out);

#endif
