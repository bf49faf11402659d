"""impact() on the lineage fixture (answers by hand)."""

from __future__ import annotations


def names(entities):
    return [e.code for e in entities]


def test_impact_of_population_base(lin):
    im = lin.impact("resource:R-A", 5)
    assert names(im.resources) == ["R-B", "R-C", "R-D", "R-G", "R-H"]
    # R-A's own items are excluded; 身份证号 travels R-B → R-C → R-D; R-B/姓名 ends there
    assert names(im.items) == ["R-B/姓名", "R-B/身份证号", "R-C/身份证号", "R-D/身份证号"]
    assert names(im.systems) == ["S-MZ", "S-RS", "S-WJ"]
    assert names(im.departments) == ["D-MZ", "D-RS", "D-WJ"]
    # P-DB, P-YL, P-SB produce affected resources; P-JY (D-RS) needs E-SFZ; P-DJ (D-SC) is
    # not affected; P-HJ produces the root itself
    assert names(im.responsibilities) == ["P-DB", "P-JY", "P-SB", "P-YL"]
    assert not im.truncated


def test_impact_depth_cut(lin):
    im = lin.impact("resource:R-A", 1)
    assert names(im.resources) == ["R-B", "R-G"]
    assert names(im.items) == []  # depth 1 of the item walk is R-A's own items
    assert im.truncated


def test_impact_of_item_and_leaf(lin):
    im = lin.impact("item:R-C/身份证号", 5)
    assert names(im.items) == ["R-D/身份证号"]
    # at resource granularity an item root goes to its own resource R-C first
    assert names(im.resources) == ["R-C", "R-D"]
    leaf = lin.impact("resource:R-H", 5)
    assert (leaf.resources, leaf.items, leaf.systems, leaf.departments,
            leaf.responsibilities, leaf.truncated) == ([], [], [], [], [], False)
