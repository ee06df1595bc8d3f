// x86-64 opcode tables: what the decoder needs to know about every opcode of the one-byte, 0F, 0F 38
// and 0F 3A maps in 64-bit mode: whether a ModRM byte follows, which immediate, the operand-size rule,
// which ModRM forms are valid (#UD otherwise) and which may take a LOCK prefix. Validity mirrors
// iced-x86 with default options (Intel decoder); test/cpu/decoder.test.ts checks every row against it.
//
// One row per opcode (or run of opcodes) per mandatory prefix:
//
//     [PFX:] OPCODES ATTRS... [| FORMS...]
//
// PFX      Omitted: the row applies whatever the prefixes (66 is an operand-size override, F2/F3 are
//          REP prefixes). Otherwise the mandatory prefix(es) the row needs: NP (none of 66/F2/F3),
//          66, F3, F2, or a list such as `NP,66:`. The mandatory prefix of an instruction is its last
//          F2/F3, else 66 when present. In a row that lists 66 (`66:`, `NP,66:`) the 66 is part of the
//          opcode, not an operand-size override, unless the row says `o` (MOVBE, RDRAND r16).
// OPCODES  Hex byte or range (`B8-BF`).
// ATTRS    M    ModRM follows.
//          ib iw id iz iv mo ib2 iwib   immediate: 1, 2 or 4 bytes; iz = 2 with 66 else 4; iv = 8 with
//               REX.W, 2 with 66, else 4; mo = moffs (8-byte address, 4 with 67); ib2 = two imm8
//               (EXTRQ/INSERTQ); iwib = imm16 then imm8 (ENTER).
//          d64  operand size defaults to 64 bits (66 gives 16); f64: always 64 (66 ignored, as on Intel).
//          L    LOCK allowed with a memory operand.
//          o    in a `66` row: 66 is an operand-size override.
//          o32  no 64-bit form: with REX.W the operand size is 32 bits (REX.W still cancels 66), else
//               the usual 16/32 (IN, OUT, INS, OUTS, XBEGIN, x87 environment loads/stores).
//          n66  invalid when a 66 prefix is present (PTWRITE).
//          3dnow  AMD 3DNow!: ModRM, then an imm8 that selects the operation (THREE_DNOW below).
//          cr dr  MOV CR/DR: ModRM follows but mod is ignored (the r/m operand is always a register);
//               with REX.R only CR8 exists, and no DR.
//          x    invalid in 64-bit mode (documentation: the opcode gets no entry).
//          Attributes may be limited to ModRM.reg digits: `ib/0-1` (F6 TEST), `f64/2,4 d64/6` (FF).
// FORMS    The valid ModRM forms (default: all): `*` any, `m` memory operand, `r` register operand,
//          `/0-3,5` digits (ModRM.reg) with either, `m/1` `r/6-7` digits with one of them,
//          `C8-CB` exact register-form ModRM bytes. Rows for the same opcode and prefix add up.
//
// An opcode/prefix with no row is invalid (#UD); like iced-x86, the decoder still consumes the ModRM
// byte of such an opcode unless none of its prefix variants has one. VEX, EVEX and XOP are decoded
// for length only; their opcode maps are the lists at the end of this file.

export const enum ImmKind {
  None = 0,
  Ib = 1,
  Iw = 2,
  Id = 3,
  Iz = 4,
  Iv = 5,
  Moffs = 6,
  IbIb = 7,
  IwIb = 8,
}

export const enum SizeRule {
  Normal = 0,
  Default64 = 1,
  Force64 = 2,
  /** No 64-bit form: 32 bits with REX.W, else the usual 16/32. */
  No64 = 3,
}

export const enum ModrmKind {
  None = 0,
  Present = 1,
  /** ModRM present, mod ignored: the r/m operand is always a register (MOV CR/DR). */
  RegisterOnly = 2,
}

export const enum Special {
  None = 0,
  ThreeDNow = 1,
  MovCr = 2,
  MovDr = 3,
}

/** Compiled description of one opcode under one mandatory prefix (NP, 66, F3, F2). */
export interface OpEntry {
  readonly valid: boolean;
  readonly modrm: ModrmKind;
  readonly special: Special;
  /** This is the 66 slot and 66 is part of the opcode there (not an operand-size override). */
  readonly mandatory66: boolean;
  /** Bit d: ModRM.reg == d is valid with a memory operand. */
  readonly validMem: number;
  /** [d] bit rm: the register form (mod == 3) with ModRM.reg == d and ModRM.rm == rm is valid. */
  readonly validReg: Uint8Array;
  /** Bit d: LOCK is allowed with a memory operand and ModRM.reg == d. */
  readonly lockMem: number;
  /** Bit d: invalid when a 66 prefix is present and ModRM.reg == d (index 0 without ModRM). */
  readonly no66: number;
  /** [d]: immediate kind for ModRM.reg == d (index 0 without ModRM). */
  readonly imm: Uint8Array;
  /** [d]: operand-size rule for ModRM.reg == d (index 0 without ModRM). */
  readonly size: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// The one-byte map. Prefixes (26 2E 36 3E 64 65 66 67 F0 F2 F3, REX 40-4F) and the escapes 0F, C4/C5
// (VEX), 62 (EVEX) are handled by the decoder itself; 8F is XOP when ModRM bits 0-4 are >= 8.

const PRIMARY = [
  '00-01 M L', '02-03 M', '04 ib', '05 iz',               // ADD
  '06-07 x',                                              // PUSH/POP ES
  '08-09 M L', '0A-0B M', '0C ib', '0D iz',               // OR
  '0E x',                                                 // PUSH CS
  '10-11 M L', '12-13 M', '14 ib', '15 iz',               // ADC
  '16-17 x',                                              // PUSH/POP SS
  '18-19 M L', '1A-1B M', '1C ib', '1D iz',               // SBB
  '1E-1F x',                                              // PUSH/POP DS
  '20-21 M L', '22-23 M', '24 ib', '25 iz',               // AND
  '27 x',                                                 // DAA
  '28-29 M L', '2A-2B M', '2C ib', '2D iz',               // SUB
  '2F x',                                                 // DAS
  '30-31 M L', '32-33 M', '34 ib', '35 iz',               // XOR
  '37 x',                                                 // AAA
  '38-3B M', '3C ib', '3D iz',                            // CMP
  '3F x',                                                 // AAS
  '50-5F d64',                                            // PUSH/POP r64
  '60-61 x',                                              // PUSHA/POPA
  '63 M',                                                 // MOVSXD
  '68 iz d64', '6A ib d64',                               // PUSH imm
  '69 M iz', '6B M ib',                                   // IMUL r, r/m, imm
  '6C-6F o32',                                            // INS/OUTS
  '70-7F ib f64',                                         // Jcc rel8
  '80 M ib L/0-6', '81 M iz L/0-6', '83 M ib L/0-6',      // group 1: ADD OR ADC SBB AND SUB XOR CMP
  '82 x',                                                 // group 1 alias of 80
  '84-85 M',                                              // TEST
  '86-87 M L',                                            // XCHG
  '88-8B M',                                              // MOV
  '8C M | /0-5',                                          // MOV r/m, Sreg
  '8D M | m',                                             // LEA
  '8E M | /0,2-5',                                        // MOV Sreg, r/m (not CS)
  '8F M d64 | /0',                                        // POP r/m
  '90-97',                                                // NOP, PAUSE, XCHG r, rAX
  '98-99',                                                // CBW/CWDE/CDQE, CWD/CDQ/CQO
  '9A x',                                                 // CALL far ptr
  '9B',                                                   // WAIT
  '9C-9D d64',                                            // PUSHF/POPF
  '9E-9F',                                                // SAHF/LAHF
  'A0-A3 mo',                                             // MOV AL/rAX <-> moffs
  'A4-A7',                                                // MOVS, CMPS
  'A8 ib', 'A9 iz',                                       // TEST AL/rAX, imm
  'AA-AF',                                                // STOS, LODS, SCAS
  'B0-B7 ib',                                             // MOV r8, imm8
  'B8-BF iv',                                             // MOV r, imm16/32/64
  'C0-C1 M ib',                                           // group 2 (shifts), imm8
  'C2 iw f64', 'C3 f64',                                  // RET near
  'C6 M ib | /0 F8',                                      // MOV r/m8, imm8; XABORT
  'C7 M iz o32/7 | /0 F8',                                // MOV r/m, imm; XBEGIN
  'C8 iwib d64', 'C9 d64',                                // ENTER, LEAVE
  'CA iw', 'CB',                                          // RET far
  'CC', 'CD ib',                                          // INT3, INT imm8
  'CE x',                                                 // INTO
  'CF',                                                   // IRET
  'D0-D3 M',                                              // group 2 (shifts) by 1 / CL
  'D4-D6 x',                                              // AAM, AAD, SALC
  'D7',                                                   // XLAT
  // x87 escapes: memory forms by ModRM.reg, register forms listed where some are undefined.
  'D8 M o32',                                             // FADD FMUL FCOM FCOMP FSUB FSUBR FDIV FDIVR
  'D9 M o32 | /0,3,6-7 m/2,4-5 r/1 D0 E0-E1 E4-E5 E8-EE', // FLD FST FSTP FLDENV FLDCW FNSTENV FNSTCW; FXCH FNOP..
  'DA M o32 | /0-3 m/4-7 E9',                             // FIADD...FIDIVR m32int; FCMOVcc; FUCOMPP
  'DB M o32 | /0-3,5 m/7 r/6 E0-E4',                      // FILD FISTTP FIST FISTP FLD/FSTP m80; FCMOVNcc FNINIT FCOMI..
  'DC M o32',                                             // m64fp arithmetic; FADD ST(i), ST...
  'DD M o32 | /0-4 m/6-7 r/5',                            // FLD FISTTP FST FSTP FRSTOR FNSAVE FNSTSW; FFREE FUCOM...
  'DE M o32 | /0-2,4-7 m/3 D9',                           // m16int arithmetic; FADDP FMULP FCOMPP...
  'DF M o32 | /0-3,5-6 m/4,7 E0',                         // FILD.. FBLD FBSTP; FNSTSW AX; FUCOMIP FCOMIP
  'E0-E3 ib f64',                                         // LOOPNE LOOPE LOOP JRCXZ
  'E4-E7 ib o32',                                         // IN/OUT imm8
  'E8-E9 id f64',                                         // CALL/JMP rel32
  'EA x',                                                 // JMP far ptr
  'EB ib f64',                                            // JMP rel8
  'EC-EF o32',                                            // IN/OUT DX
  'F1', 'F4', 'F5',                                       // INT1, HLT, CMC
  'F6 M ib/0-1 L/2-3',                                    // group 3: TEST imm8, NOT, NEG, MUL, IMUL, DIV, IDIV
  'F7 M iz/0-1 L/2-3',                                    // group 3: TEST imm, NOT, NEG, MUL, IMUL, DIV, IDIV
  'F8-FD',                                                // CLC STC CLI STI CLD STD
  'FE M L/0-1 | /0-1',                                    // group 4: INC, DEC r/m8
  'FF M L/0-1 f64/2,4 d64/6 | /0-2,4,6 m/3,5',            // group 5: INC DEC CALL CALLF JMP JMPF PUSH
];

// ---------------------------------------------------------------------------------------------
// 0F map. 0F 0F (3DNow!), 0F 38 and 0F 3A are escapes.

const MAP_0F = [
  '00 M | /0-5', 'F2: 00 M | /6',                           // SLDT STR LLDT LTR VERR VERW; LKGS
  '01 M | /3-4,6 m/0-2,7',                                  // SGDT SIDT LGDT LIDT SMSW LMSW INVLPG; VMRUN..INVLPGA
  'NP: 01 M | C0-CB CF-D1 D4-D7 E8 EE-EF F8-FF',            // VMCALL.. MONITOR MWAIT CLAC STAC XGETBV XSETBV XTEST RDTSCP..
  '66: 01 M | CC-CF F8-F9 FC',                              // TDCALL SEAMRET SEAMOPS SEAMCALL; SWAPGS RDTSCP CLZERO
  'F3: 01 M | m/5 C6 CA E8 EA EC-EF F8-FA FC-FF',           // RSTORSSP ERETU SETSSBSY SAVEPREVSSP UIRET.. RMPADJUST
  'F2: 01 M | C6 CA E8-E9 F8-F9 FC FE-FF',                  // RDMSRLIST ERETS XSUSLDTRK XRESLDTRK RMPUPDATE PVALIDATE
  '02-03 M',                                                // LAR, LSL
  '05-09',                                                  // SYSCALL CLTS SYSRET INVD WBINVD/WBNOINVD
  '0B',                                                     // UD2
  '0D M',                                                   // PREFETCH/PREFETCHW, reserved NOP
  '0E',                                                     // FEMMS
  '0F M 3dnow',                                             // 3DNow!
  '10-11 M',                                                // MOVUPS MOVUPD MOVSS MOVSD
  'NP,F3,F2: 12 M', '66: 12 M | m',                         // MOVLPS/MOVHLPS MOVSLDUP MOVDDUP; MOVLPD
  'NP,66: 13 M | m',                                        // MOVLPS MOVLPD (store)
  'NP,66: 14-15 M',                                         // UNPCKLPS/PD UNPCKHPS/PD
  'NP,F3: 16 M', '66: 16 M | m',                            // MOVHPS/MOVLHPS MOVSHDUP; MOVHPD
  'NP,66: 17 M | m',                                        // MOVHPS MOVHPD (store)
  '18-1F M',                                                // PREFETCHh, CLDEMOTE, ENDBR, RDSSP, NOP r/m, reserved NOPs
  '20 cr | /0,2-4', '22 cr | /0,2-4',                       // MOV r64, CRn / MOV CRn, r64
  '21 dr', '23 dr',                                         // MOV r64, DRn / MOV DRn, r64
  'NP,66: 28-29 M',                                         // MOVAPS MOVAPD
  '2A M',                                                   // CVTPI2PS CVTPI2PD CVTSI2SS CVTSI2SD
  '2B M | m',                                               // MOVNTPS MOVNTPD MOVNTSS MOVNTSD
  '2C-2D M',                                                // CVT(T)PS2PI CVT(T)PD2PI CVT(T)SS2SI CVT(T)SD2SI
  'NP,66: 2E-2F M',                                         // UCOMISS UCOMISD COMISS COMISD
  '30-35',                                                  // WRMSR RDTSC RDMSR RDPMC SYSENTER SYSEXIT
  'NP: 37',                                                 // GETSEC
  '40-4F M',                                                // CMOVcc
  'NP,66: 50 M | r',                                        // MOVMSKPS MOVMSKPD
  '51 M',                                                   // SQRTPS/PD/SS/SD
  'NP,F3: 52-53 M',                                         // RSQRTPS/SS RCPPS/SS
  'NP,66: 54-57 M',                                         // ANDPS ANDNPS ORPS XORPS (+PD)
  '58-5A M',                                                // ADD MUL CVTPS2PD.. (PS/PD/SS/SD)
  'NP,66,F3: 5B M',                                         // CVTDQ2PS CVTPS2DQ CVTTPS2DQ
  '5C-5F M',                                                // SUB MIN DIV MAX (PS/PD/SS/SD)
  'NP,66: 60-6B M',                                         // PUNPCKL* PACKSS* PCMPGT* PACKUSWB PUNPCKH* PACKSSDW
  '66: 6C-6D M',                                            // PUNPCKLQDQ PUNPCKHQDQ
  'NP,66: 6E M',                                            // MOVD/MOVQ mm/xmm, r/m
  'NP,66,F3: 6F M',                                         // MOVQ MOVDQA MOVDQU (load)
  '70 M ib',                                                // PSHUFW PSHUFD PSHUFHW PSHUFLW
  'NP,66: 71-72 M ib | r/2,4,6',                            // PSRLW/D PSRAW/D PSLLW/D imm
  'NP: 73 M ib | r/2,6', '66: 73 M ib | r/2-3,6-7',         // PSRLQ PSLLQ; PSRLDQ PSLLDQ imm
  'NP,66: 74-76 M',                                         // PCMPEQB/W/D
  'NP: 77',                                                 // EMMS
  'NP: 78 M', '66: 78 M ib2 | r/0', 'F2: 78 M ib2 | r',     // VMREAD; EXTRQ imm; INSERTQ imm
  'NP: 79 M', '66,F2: 79 M | r',                            // VMWRITE; EXTRQ; INSERTQ
  '66,F2: 7C-7D M',                                         // HADDPD/PS HSUBPD/PS
  'NP,66,F3: 7E-7F M',                                      // MOVD/MOVQ r/m, mm/xmm; MOVQ; MOVDQA MOVDQU (store)
  '80-8F id f64',                                           // Jcc rel32
  '90-9F M',                                                // SETcc
  'A0-A1 d64', 'A8-A9 d64',                                 // PUSH/POP FS, GS
  'A2',                                                     // CPUID
  'A3 M', 'AB M L', 'B3 M L', 'BB M L',                     // BT BTS BTR BTC r/m, r
  'A4 M ib', 'A5 M', 'AC M ib', 'AD M',                     // SHLD, SHRD
  'F3: A6 M | r/1-7',                                       // Centaur XSHA1 XSHA256 ...
  'A7 M | r/0', 'F3: A7 M | r',                             // Centaur XSTORE, REP XCRYPT*
  'AA',                                                     // RSM
  'NP: AE M | /5-7 m/0-4',                                  // FXSAVE.. XSAVEOPT CLFLUSH; LFENCE MFENCE SFENCE
  '66: AE M | /6 m/7',                                      // CLWB TPAUSE CLFLUSHOPT
  'F3: AE M n66/4 | /4,6 r/0-3,5',                          // PTWRITE CLRSSBSY UMONITOR; RD/WRFSBASE RD/WRGSBASE INCSSP
  'F2: AE M | r/6',                                         // UMWAIT
  'AF M',                                                   // IMUL r, r/m
  'B0-B1 M L',                                              // CMPXCHG
  'B2 M | m', 'B4-B5 M | m',                                // LSS LFS LGS
  'B6-B7 M', 'BE-BF M',                                     // MOVZX MOVSX
  'F3: B8 M',                                               // POPCNT
  'B9 M',                                                   // UD1
  'BA M ib L/5-7 | /4-7',                                   // BT BTS BTR BTC r/m, imm8
  'BC-BD M',                                                // BSF/TZCNT BSR/LZCNT
  'C0-C1 M L',                                              // XADD
  'C2 M ib',                                                // CMPPS CMPPD CMPSS CMPSD
  'NP: C3 M | m',                                           // MOVNTI
  'NP,66: C4 M ib', 'NP,66: C5 M ib | r', 'NP,66: C6 M ib', // PINSRW PEXTRW SHUFPS/PD
  'C7 M L/1 | m/1',                                         // CMPXCHG8B/16B
  'NP: C7 M | m/3-7',                                       // XRSTORS XSAVEC XSAVES VMPTRLD VMPTRST
  'NP,66: C7 M o | r/6-7',                                  // RDRAND RDSEED
  '66: C7 M | m/6',                                         // VMCLEAR
  'F3: C7 M | /6 r/7',                                      // VMXON SENDUIPI RDPID
  'C8-CF',                                                  // BSWAP
  '66,F2: D0 M',                                            // ADDSUBPD ADDSUBPS
  'NP,66: D1-D5 M',                                         // PSRLW PSRLD PSRLQ PADDQ PMULLW
  '66: D6 M', 'F3,F2: D6 M | r',                            // MOVQ; MOVQ2DQ MOVDQ2Q
  'NP,66: D7 M | r',                                        // PMOVMSKB
  'NP,66: D8-E5 M',                                         // PSUBUS* PMINUB PAND PADDUS* PMAXUB PANDN PAVG PSRA PMULH
  '66,F3,F2: E6 M',                                         // CVTTPD2DQ CVTDQ2PD CVTPD2DQ
  'NP,66: E7 M | m',                                        // MOVNTQ MOVNTDQ
  'NP,66: E8-EF M',                                         // PSUBS* PMINSW POR PADDS* PMAXSW PXOR
  'F2: F0 M | m',                                           // LDDQU
  'NP,66: F1-F6 M',                                         // PSLL* PMULUDQ PMADDWD PSADBW
  'NP,66: F7 M | r',                                        // MASKMOVQ MASKMOVDQU
  'NP,66: F8-FE M',                                         // PSUB* PADD*
  'FF M',                                                   // UD0
];

// ---------------------------------------------------------------------------------------------
// 0F 38 map.

const MAP_0F38 = [
  'NP,66: 00-0B M',          // PSHUFB PHADD* PMADDUBSW PHSUB* PSIGN* PMULHRSW
  '66: 10 M', '66: 14-15 M', // PBLENDVB BLENDVPS BLENDVPD
  '66: 17 M',                // PTEST
  'NP,66: 1C-1E M',          // PABSB PABSW PABSD
  '66: 20-25 M',             // PMOVSX*
  '66: 28-29 M',             // PMULDQ PCMPEQQ
  '66: 2A M | m',            // MOVNTDQA
  '66: 2B M',                // PACKUSDW
  '66: 30-35 M',             // PMOVZX*
  '66: 37-41 M',             // PCMPGTQ PMINS* PMINU* PMAXS* PMAXU* PMULLD PHMINPOSUW
  '66: 80-82 M | m',         // INVEPT INVVPID INVPCID
  'NP: C8-CD M',             // SHA1NEXTE SHA1MSG1 SHA1MSG2 SHA256RNDS2 SHA256MSG1 SHA256MSG2
  '66: CF M',                // GF2P8MULB
  'F3: D8 M | m/0-3',        // AESENCWIDE128KL AESDECWIDE128KL AESENCWIDE256KL AESDECWIDE256KL
  '66: DB-DF M',             // AESIMC AESENC AESENCLAST AESDEC AESDECLAST
  'F3: DC M',                // AESENC128KL, LOADIWKEY
  'F3: DD-DF M | m',         // AESDEC128KL AESENC256KL AESDEC256KL
  'NP,66: F0-F1 M o | m',    // MOVBE
  'F2: F0-F1 M',             // CRC32
  '66: F5 M | m',            // WRUSSD/Q
  'NP: F6 M | m',            // WRSSD/Q
  '66,F3: F6 M',             // ADCX ADOX
  '66,F3,F2: F8 M | m',      // MOVDIR64B ENQCMDS ENQCMD
  'NP: F9 M | m',            // MOVDIRI
  'F3: FA-FB M | r',         // ENCODEKEY128 ENCODEKEY256
  'FC M | m',                // AADD AAND AXOR AOR
];

// ---------------------------------------------------------------------------------------------
// 0F 3A map: every instruction has an imm8.

const MAP_0F3A = [
  '66: 08-0E M ib',   // ROUNDPS/PD/SS/SD BLENDPS/PD PBLENDW
  'NP,66: 0F M ib',   // PALIGNR
  '66: 14-17 M ib',   // PEXTRB PEXTRW PEXTRD/Q EXTRACTPS
  '66: 20-22 M ib',   // PINSRB INSERTPS PINSRD/Q
  '66: 40-42 M ib',   // DPPS DPPD MPSADBW
  '66: 44 M ib',      // PCLMULQDQ
  '66: 60-63 M ib',   // PCMPESTRM PCMPESTRI PCMPISTRM PCMPISTRI
  'NP: CC M ib',      // SHA1RNDS4
  '66: CE-CF M ib',   // GF2P8AFFINEQB GF2P8AFFINEINVQB
  '66: DF M ib',      // AESKEYGENASSIST
  'F3: F0 M ib | C0', // HRESET
];

/** 3DNow! (0F 0F /r ib): the imm8 values that name an instruction (PI2FW, PI2FD, PF2IW, PF2ID, PFNACC,
 *  PFPNACC, PFCMPGE, PFMIN, PFRCP, PFRSQRT, PFSUB, PFADD, PFCMPGT, PFMAX, PFRCPIT1, PFRSQIT1, PFSUBR,
 *  PFACC, PFCMPEQ, PFMUL, PFRCPIT2, PMULHRW, PSWAPD, PAVGUSB). */
const THREE_DNOW = '0C-0D 1C-1D 8A 8E 90 94 96-97 9A 9E A0 A4 A6-A7 AA AE B0 B4 B6-B7 BB BF';

// ---------------------------------------------------------------------------------------------
// VEX / EVEX / XOP (length only). Opcodes that exist in each map (any prefix, W, L); a ModRM byte
// always follows except VEX 0F 77 (VZEROUPPER/VZEROALL). Immediates: VEX/EVEX 0F 3A and XOP map 8
// always have an imm8 (or an is4 register byte); VEX/EVEX 0F 70-73, C2, C4-C6 have an imm8; XOP map 10
// opcodes 10 and 12 (BEXTR, LWPINS/LWPVAL) have an imm32.

const VEX_MAPS: Record<number, string> = {
  1: '10-17 28-2F 41-42 44-47 4A-4B 50-77 7C-7F 90-93 98-99 AE C2 C4-C6 D0-FE',
  2:
    '00-0F 13 16-1A 1C-1E 20-25 28-41 45-47 49 4B 50-53 58-5A 5C 5E 6C 72 78-79 8C 8E 90-93 96-9F A6-B1 ' +
    'B4-BF CB-CD CF D2-D3 DA-EF F2-F3 F5-F7',
  3: '00-02 04-06 08-0F 14-19 1D 20-22 30-33 38-39 40-42 44 46 48-4C 5C-63 68-6F 78-7F CE-CF DE-DF F0',
};
const EVEX_MAPS: Record<number, string> = {
  1: '10-17 28-2F 51 54-76 78-7B 7E-7F C2 C4-C6 D1-D6 D8-EF F1-F6 F8-FE',
  2:
    '00 04 0B-0D 10-16 18-2D 30-40 42-47 4C-55 58-5B 62-66 68 70-73 75-7F 83 88-8B 8D 8F-93 96-A3 A6-AF ' +
    'B4-BF C4 C6-C8 CA-CD CF DC-DF',
  3: '00-01 03-05 08-0B 0F 14-1B 1D-23 25-27 38-3B 3E-3F 42-44 50-51 54-57 66-67 70-73 C2 CE-CF',
  5: '10-11 1D 2A 2C-2F 51 58-5F 6E 78-7E', //                                   AVX512-FP16 MAP5
  6: '13 2C-2D 42-43 4C-4F 56-57 96-9F A6-AF B6-BF D6-D7', //                    AVX512-FP16 MAP6
};
const XOP_MAPS: Record<number, string> = {
  8: '85-87 8E-8F 95-97 9E-9F A2-A3 A6 B6 C0-C3 CC-CF EC-EF',
  9: '01-02 12 80-83 90-9B C1-C3 C6-C7 CB D1-D3 D6-D7 DB E1-E3',
  10: '10 12',
};
const VEX_IMM8_MAP1 = '70-73 C2 C4-C6';

// ---------------------------------------------------------------------------------------------
// Compilation of the rows above into lookup tables (once, at module load).

/** Mandatory-prefix slots: index into the per-opcode entries. */
export const enum Slot {
  NP = 0,
  P66 = 1,
  PF3 = 2,
  PF2 = 3,
}

const SLOT_NAMES: Record<string, Slot> = { NP: Slot.NP, '66': Slot.P66, F3: Slot.PF3, F2: Slot.PF2 };

const IMM_NAMES: Record<string, ImmKind> = {
  ib: ImmKind.Ib,
  iw: ImmKind.Iw,
  id: ImmKind.Id,
  iz: ImmKind.Iz,
  iv: ImmKind.Iv,
  mo: ImmKind.Moffs,
  ib2: ImmKind.IbIb,
  iwib: ImmKind.IwIb,
};

interface Builder {
  touched: boolean;
  modrm: ModrmKind;
  special: Special;
  only66Rows: boolean;
  validMem: number;
  validReg: Uint8Array;
  lockMem: number;
  no66: number;
  imm: Uint8Array;
  size: Uint8Array;
  attrSet: number; // bit d: imm/size of digit d were set by some row
}

function hexByte(s: string, row: string): number {
  if (!/^[0-9A-F]{2}$/.test(s)) throw new Error(`opcode-table: bad hex '${s}' in '${row}'`);
  return parseInt(s, 16);
}

/** '0C-0D 1C' → [0x0c, 0x0d, 0x1c] */
function parseByteList(list: string, row: string): number[] {
  const out: number[] = [];
  for (const part of list.trim().split(/\s+/)) {
    if (part === '') continue;
    const [a, b] = part.split('-');
    const lo = hexByte(a!, row);
    const hi = b === undefined ? lo : hexByte(b, row);
    for (let x = lo; x <= hi; x++) out.push(x);
  }
  return out;
}

/** '0-2,4,6' → bit mask of digits */
function parseDigits(list: string, row: string): number {
  let mask = 0;
  for (const part of list.split(',')) {
    const m = /^([0-7])(?:-([0-7]))?$/.exec(part);
    if (!m) throw new Error(`opcode-table: bad digits '${list}' in '${row}'`);
    const lo = +m[1]!;
    const hi = m[2] === undefined ? lo : +m[2];
    for (let d = lo; d <= hi; d++) mask |= 1 << d;
  }
  return mask;
}

function newBuilder(): Builder {
  return {
    touched: false,
    modrm: ModrmKind.None,
    special: Special.None,
    only66Rows: true,
    validMem: 0,
    validReg: new Uint8Array(8),
    lockMem: 0,
    no66: 0,
    imm: new Uint8Array(8),
    size: new Uint8Array(8),
    attrSet: 0,
  };
}

function applyRow(builders: Builder[][], row: string): void {
  let rest = row.trim();
  let slots = [Slot.NP, Slot.P66, Slot.PF3, Slot.PF2];
  let prefixRow = false;
  const colon = /^([A-Z0-9,]+):\s*/.exec(rest);
  if (colon) {
    slots = colon[1]!.split(',').map((p) => {
      const s = SLOT_NAMES[p];
      if (s === undefined) throw new Error(`opcode-table: bad prefix '${p}' in '${row}'`);
      return s;
    });
    prefixRow = true;
    rest = rest.slice(colon[0].length);
  }
  const [head, formText] = rest.split('|');
  const words = head!.trim().split(/\s+/);
  const ops = parseByteList(words[0]!, row);

  let modrm = ModrmKind.None;
  let special = Special.None;
  let sizeOverride66 = false;
  const imm = new Uint8Array(8);
  const size = new Uint8Array(8);
  let lockMem = 0;
  let no66 = 0;
  let invalid = false;
  for (const w of words.slice(1)) {
    const [name, digitText] = w.split('/');
    const digits = digitText === undefined ? 0xff : parseDigits(digitText, row);
    const setEach = (arr: Uint8Array, v: number) => {
      for (let d = 0; d < 8; d++) if (digits & (1 << d)) arr[d] = v;
    };
    if (name === 'M') modrm = ModrmKind.Present;
    else if (name === 'cr' || name === 'dr') {
      modrm = ModrmKind.RegisterOnly;
      special = name === 'cr' ? Special.MovCr : Special.MovDr;
      setEach(size, SizeRule.Force64);
    } else if (name === '3dnow') {
      modrm = ModrmKind.Present;
      special = Special.ThreeDNow;
    } else if (name === 'd64') setEach(size, SizeRule.Default64);
    else if (name === 'f64') setEach(size, SizeRule.Force64);
    else if (name === 'o32') setEach(size, SizeRule.No64);
    else if (name === 'L') lockMem |= digits;
    else if (name === 'n66') no66 |= digits;
    else if (name === 'o') sizeOverride66 = true;
    else if (name === 'x') invalid = true;
    else if (name! in IMM_NAMES) setEach(imm, IMM_NAMES[name!]!);
    else throw new Error(`opcode-table: bad attribute '${w}' in '${row}'`);
  }

  // An `x` row only documents an invalid opcode: it leaves the opcode without entries.
  if (invalid) return;

  // Forms → validMem (digit mask) and validReg (per digit, rm mask).
  let validMem = 0;
  const validReg = new Uint8Array(8);
  {
    const forms = formText === undefined ? ['*'] : formText.trim().split(/\s+/).filter((f) => f !== '');
    for (const f of forms) {
      let m: RegExpExecArray | null;
      if (f === '*' || f === 'm' || f === 'r') {
        if (f !== 'r') validMem = 0xff;
        if (f !== 'm') validReg.fill(0xff);
      } else if ((m = /^([mr]?)\/([0-7,-]+)$/.exec(f))) {
        const digits = parseDigits(m[2]!, row);
        if (m[1] !== 'r') validMem |= digits;
        if (m[1] !== 'm') for (let d = 0; d < 8; d++) if (digits & (1 << d)) validReg[d] = 0xff;
      } else if (/^[0-9A-F]{2}(-[0-9A-F]{2})?$/.test(f)) {
        for (const b of parseByteList(f, row)) {
          if (b < 0xc0) throw new Error(`opcode-table: '${f}' is not a register form in '${row}'`);
          validReg[(b >> 3) & 7]! |= 1 << (b & 7);
        }
      } else throw new Error(`opcode-table: bad form '${f}' in '${row}'`);
    }
    if (modrm === ModrmKind.None && formText !== undefined) {
      throw new Error(`opcode-table: forms without ModRM in '${row}'`);
    }
  }
  // Digits this row speaks for (their imm/size attributes must agree with other rows).
  let rowDigits = validMem;
  for (let d = 0; d < 8; d++) if (validReg[d]) rowDigits |= 1 << d;
  if (modrm === ModrmKind.None) rowDigits = 0xff;

  const mandatory66 = prefixRow && slots.includes(Slot.P66) && !sizeOverride66;
  for (const op of ops) {
    for (const slot of slots) {
      const b = builders[op]![slot]!;
      if (b.touched && b.modrm !== modrm) throw new Error(`opcode-table: ModRM conflict for '${row}'`);
      if (b.touched && b.special !== special) throw new Error(`opcode-table: special conflict for '${row}'`);
      b.touched = true;
      b.modrm = modrm;
      b.special = special;
      if (!mandatory66) b.only66Rows = false;
      b.validMem |= validMem;
      for (let d = 0; d < 8; d++) b.validReg[d]! |= validReg[d]!;
      b.lockMem |= lockMem;
      b.no66 |= no66;
      for (let d = 0; d < 8; d++) {
        if (!(rowDigits & (1 << d))) continue;
        if (b.attrSet & (1 << d) && (b.imm[d] !== imm[d] || b.size[d] !== size[d])) {
          throw new Error(`opcode-table: attribute conflict on /${d} for '${row}'`);
        }
        b.imm[d] = imm[d]!;
        b.size[d] = size[d]!;
        b.attrSet |= 1 << d;
      }
    }
  }
}

const INVALID_WITH_MODRM: OpEntry = makeInvalid(ModrmKind.Present);
const INVALID_NO_MODRM: OpEntry = makeInvalid(ModrmKind.None);

function makeInvalid(modrm: ModrmKind): OpEntry {
  return {
    valid: false,
    modrm,
    special: Special.None,
    mandatory66: false,
    validMem: 0,
    validReg: new Uint8Array(8),
    lockMem: 0,
    no66: 0,
    imm: new Uint8Array(8),
    size: new Uint8Array(8),
  };
}

function compileMap(rows: readonly string[]): OpEntry[] {
  const builders: Builder[][] = [];
  for (let op = 0; op < 256; op++) builders.push([newBuilder(), newBuilder(), newBuilder(), newBuilder()]);
  for (const row of rows) applyRow(builders, row);
  const interned = new Map<string, OpEntry>();
  const out: OpEntry[] = new Array<OpEntry>(256 * 4);
  for (let op = 0; op < 256; op++) {
    const slots = builders[op]!;
    // An invalid slot reads a ModRM byte (as iced-x86 does) unless the opcode never has one.
    const anyModrm = slots.some((b) => b.touched && b.modrm !== ModrmKind.None);
    const anyTouched = slots.some((b) => b.touched);
    for (let s = 0; s < 4; s++) {
      const b = slots[s]!;
      let validReg = 0;
      for (let d = 0; d < 8; d++) validReg |= b.validReg[d]!;
      const valid = b.touched && (b.modrm === ModrmKind.None ? b.attrSet !== 0 : b.validMem !== 0 || validReg !== 0);
      if (!valid) {
        out[op * 4 + s] = anyModrm || !anyTouched ? INVALID_WITH_MODRM : INVALID_NO_MODRM;
        continue;
      }
      const entry: OpEntry = {
        valid: true,
        modrm: b.modrm,
        special: b.special,
        mandatory66: s === Slot.P66 && b.only66Rows,
        validMem: b.validMem,
        validReg: b.validReg,
        lockMem: b.lockMem,
        no66: b.no66,
        imm: b.imm,
        size: b.size,
      };
      const key = JSON.stringify([
        entry.modrm, entry.special, entry.mandatory66, entry.validMem, [...entry.validReg],
        entry.lockMem, entry.no66, [...entry.imm], [...entry.size],
      ]);
      const existing = interned.get(key);
      if (existing) out[op * 4 + s] = existing;
      else {
        interned.set(key, entry);
        out[op * 4 + s] = entry;
      }
    }
  }
  return out;
}

function byteSet(list: string): Uint8Array {
  const set = new Uint8Array(256);
  for (const b of parseByteList(list, list)) set[b] = 1;
  return set;
}

function mapSets(maps: Record<number, string>, count: number): (Uint8Array | undefined)[] {
  const out: (Uint8Array | undefined)[] = new Array(count).fill(undefined);
  for (const [k, v] of Object.entries(maps)) out[+k] = byteSet(v);
  return out;
}

/** Entries indexed by `(map * 256 + opcode) * 4 + slot` for the legacy maps 0 (one-byte), 1 (0F),
 *  2 (0F 38), 3 (0F 3A). */
export const LEGACY_TABLE: readonly OpEntry[] = [
  ...compileMap(PRIMARY),
  ...compileMap(MAP_0F),
  ...compileMap(MAP_0F38),
  ...compileMap(MAP_0F3A),
];

/** 1 for the 3DNow! imm8 suffixes that name an instruction. */
export const THREE_DNOW_SUFFIXES: Uint8Array = byteSet(THREE_DNOW);

/** Existence sets by map number: VEX maps 1-3 (0F, 0F38, 0F3A), EVEX 1-3, 5, 6, XOP 8-10. */
export const VEX_OPCODES = mapSets(VEX_MAPS, 4);
export const EVEX_OPCODES = mapSets(EVEX_MAPS, 8);
export const XOP_OPCODES = mapSets(XOP_MAPS, 11);
/** VEX/EVEX map 1 (0F) opcodes with an imm8. */
export const VEX_MAP1_IMM8: Uint8Array = byteSet(VEX_IMM8_MAP1);
