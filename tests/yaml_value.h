/* SPDX-License-Identifier: MIT */
/*
 * yaml_value (tests only): turns a parsed YAML document into template data,
 * for tests that describe a template's data in YAML: the Mustache
 * specification test and the template fuzz harness.
 */
#ifndef SAPAN_TESTS_YAML_VALUE_H
#define SAPAN_TESTS_YAML_VALUE_H

#include "value.h"
#include "ynode.h"

/*
 * Converts n to a struct value the caller frees with value_free: plain
 * true/false, null and numbers take their YAML meaning; every other
 * scalar, and every quoted one, is a string; sequences become lists and
 * mappings maps, in document order.
 */
struct value *yaml_value_from_ynode(const struct ynode *n);

#endif
