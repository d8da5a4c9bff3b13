from qingdan.ingest.phones import is_phone, split_phones


def test_it_splits_several_phones_in_one_cell():
    assert split_phones("82012711\n82012353") == ["82012711", "82012353"]
    assert split_phones("0731-2269700、2115518；13907310000") == ["0731-2269700", "2115518", "13907310000"]


def test_it_normalises_full_width_digits_and_bracketed_area_codes():
    assert split_phones("（０７３１）２１１５５１８") == ["0731-2115518"]


def test_it_keeps_extensions_and_drops_repeats():
    assert split_phones("2269700转8001，2269700转8001") == ["2269700转8001"]


def test_it_tells_a_phone_from_a_remark():
    assert is_phone("2269700")
    assert is_phone("0731-2269700、2115518")
    assert not is_phone("散装水泥办公室（事业单位）")
    assert not is_phone("")
