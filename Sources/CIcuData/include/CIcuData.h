// No declarations: the target's one object defines ICU's data symbol in the installed build
// (see bevaka_icu_data.S). Nothing calls into it.
