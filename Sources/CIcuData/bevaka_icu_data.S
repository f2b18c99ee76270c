// The ICU data of the installed program, trimmed to what Bevaka uses (scripts/icu-data).
//
// Foundation, linked statically, carries ICU with all of its data (34 MB: every locale, every
// collation, every converter, word-break dictionaries for Thai and Chinese). ICU finds its data
// through one symbol, icudtNN_dat. scripts/install makes a package of the same ICU version with
// the parts Bevaka can reach (root, Swedish and English; Unicode properties, normalisation,
// collation, time zones) and builds with
//   -Xcc -DBEVAKA_ICU_SYMBOL=icudtNN_dat -Xcc -DBEVAKA_ICU_DATA="path"
// so this object defines the symbol and the toolchain's full package is never linked. Without
// those definitions (every debug build, the tests) this file is empty and Foundation's own data
// is used.
#if defined(BEVAKA_ICU_SYMBOL) && defined(BEVAKA_ICU_DATA)
    .section .rodata.bevaka_icu_data,"a"
    .globl BEVAKA_ICU_SYMBOL
    .type BEVAKA_ICU_SYMBOL, @object
    .balign 16
BEVAKA_ICU_SYMBOL:
    .incbin BEVAKA_ICU_DATA
    .size BEVAKA_ICU_SYMBOL, . - BEVAKA_ICU_SYMBOL
#endif
    .section .note.GNU-stack,"",@progbits
