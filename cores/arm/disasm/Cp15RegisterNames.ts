/**
 * Names of the CP15 system registers and operations of ARMv7-A with the
 * Security, Virtualization and Large Physical Address Extensions, from the
 * VMSA register summary (ARM ARM B3.17) and the generic timer (B8). The
 * disassembler adds them as a comment to MCR/MRC/MCRR/MRRC on coprocessor 15.
 * Each line: CRn opc1 CRm opc2 name (32-bit); the 64-bit ones are opc1 CRm name.
 */
const REGISTERS_32 = `
c0 0 c0 0 MIDR; c0 0 c0 1 CTR; c0 0 c0 2 TCMTR; c0 0 c0 3 TLBTR; c0 0 c0 5 MPIDR; c0 0 c0 6 REVIDR
c0 0 c1 0 ID_PFR0; c0 0 c1 1 ID_PFR1; c0 0 c1 2 ID_DFR0; c0 0 c1 3 ID_AFR0
c0 0 c1 4 ID_MMFR0; c0 0 c1 5 ID_MMFR1; c0 0 c1 6 ID_MMFR2; c0 0 c1 7 ID_MMFR3
c0 0 c2 0 ID_ISAR0; c0 0 c2 1 ID_ISAR1; c0 0 c2 2 ID_ISAR2; c0 0 c2 3 ID_ISAR3; c0 0 c2 4 ID_ISAR4; c0 0 c2 5 ID_ISAR5
c0 1 c0 0 CCSIDR; c0 1 c0 1 CLIDR; c0 1 c0 7 AIDR; c0 2 c0 0 CSSELR; c0 4 c0 0 VPIDR; c0 4 c0 5 VMPIDR
c1 0 c0 0 SCTLR; c1 0 c0 1 ACTLR; c1 0 c0 2 CPACR; c1 0 c1 0 SCR; c1 0 c1 1 SDER; c1 0 c1 2 NSACR
c1 4 c0 0 HSCTLR; c1 4 c0 1 HACTLR; c1 4 c1 0 HCR; c1 4 c1 1 HDCR; c1 4 c1 2 HCPTR; c1 4 c1 3 HSTR; c1 4 c1 7 HACR
c2 0 c0 0 TTBR0; c2 0 c0 1 TTBR1; c2 0 c0 2 TTBCR; c2 4 c0 2 HTCR; c2 4 c1 2 VTCR
c3 0 c0 0 DACR
c5 0 c0 0 DFSR; c5 0 c0 1 IFSR; c5 0 c1 0 ADFSR; c5 0 c1 1 AIFSR; c5 4 c1 0 HADFSR; c5 4 c1 1 HAIFSR; c5 4 c2 0 HSR
c6 0 c0 0 DFAR; c6 0 c0 2 IFAR; c6 4 c0 0 HDFAR; c6 4 c0 2 HIFAR; c6 4 c0 4 HPFAR
c7 0 c1 0 ICIALLUIS; c7 0 c1 6 BPIALLIS; c7 0 c4 0 PAR; c7 0 c5 0 ICIALLU; c7 0 c5 1 ICIMVAU; c7 0 c5 4 CP15ISB
c7 0 c5 6 BPIALL; c7 0 c5 7 BPIMVA; c7 0 c6 1 DCIMVAC; c7 0 c6 2 DCISW
c7 0 c8 0 ATS1CPR; c7 0 c8 1 ATS1CPW; c7 0 c8 2 ATS1CUR; c7 0 c8 3 ATS1CUW
c7 0 c8 4 ATS12NSOPR; c7 0 c8 5 ATS12NSOPW; c7 0 c8 6 ATS12NSOUR; c7 0 c8 7 ATS12NSOUW
c7 0 c10 1 DCCMVAC; c7 0 c10 2 DCCSW; c7 0 c10 4 CP15DSB; c7 0 c10 5 CP15DMB; c7 0 c11 1 DCCMVAU
c7 0 c14 1 DCCIMVAC; c7 0 c14 2 DCCISW; c7 4 c8 0 ATS1HR; c7 4 c8 1 ATS1HW
c8 0 c3 0 TLBIALLIS; c8 0 c3 1 TLBIMVAIS; c8 0 c3 2 TLBIASIDIS; c8 0 c3 3 TLBIMVAAIS
c8 0 c5 0 ITLBIALL; c8 0 c5 1 ITLBIMVA; c8 0 c5 2 ITLBIASID; c8 0 c6 0 DTLBIALL; c8 0 c6 1 DTLBIMVA; c8 0 c6 2 DTLBIASID
c8 0 c7 0 TLBIALL; c8 0 c7 1 TLBIMVA; c8 0 c7 2 TLBIASID; c8 0 c7 3 TLBIMVAA
c8 4 c3 0 TLBIALLHIS; c8 4 c3 1 TLBIMVAHIS; c8 4 c3 4 TLBIALLNSNHIS; c8 4 c7 0 TLBIALLH; c8 4 c7 1 TLBIMVAH; c8 4 c7 4 TLBIALLNSNH
c9 0 c12 0 PMCR; c9 0 c12 1 PMCNTENSET; c9 0 c12 2 PMCNTENCLR; c9 0 c12 3 PMOVSR; c9 0 c12 4 PMSWINC; c9 0 c12 5 PMSELR
c9 0 c12 6 PMCEID0; c9 0 c12 7 PMCEID1; c9 0 c13 0 PMCCNTR; c9 0 c13 1 PMXEVTYPER; c9 0 c13 2 PMXEVCNTR
c9 0 c14 0 PMUSERENR; c9 0 c14 1 PMINTENSET; c9 0 c14 2 PMINTENCLR; c9 0 c14 3 PMOVSSET
c10 0 c2 0 PRRR/MAIR0; c10 0 c2 1 NMRR/MAIR1; c10 0 c3 0 AMAIR0; c10 0 c3 1 AMAIR1
c10 4 c2 0 HMAIR0; c10 4 c2 1 HMAIR1; c10 4 c3 0 HAMAIR0; c10 4 c3 1 HAMAIR1
c12 0 c0 0 VBAR; c12 0 c0 1 MVBAR; c12 0 c1 0 ISR; c12 4 c0 0 HVBAR
c13 0 c0 0 FCSEIDR; c13 0 c0 1 CONTEXTIDR; c13 0 c0 2 TPIDRURW; c13 0 c0 3 TPIDRURO; c13 0 c0 4 TPIDRPRW; c13 4 c0 2 HTPIDR
c14 0 c0 0 CNTFRQ; c14 0 c1 0 CNTKCTL; c14 0 c2 0 CNTP_TVAL; c14 0 c2 1 CNTP_CTL; c14 0 c3 0 CNTV_TVAL; c14 0 c3 1 CNTV_CTL
c14 4 c1 0 CNTHCTL; c14 4 c2 0 CNTHP_TVAL; c14 4 c2 1 CNTHP_CTL
`;

const REGISTERS_64 = `
0 c2 TTBR0; 1 c2 TTBR1; 4 c2 HTTBR; 6 c2 VTTBR; 0 c7 PAR
0 c14 CNTPCT; 1 c14 CNTVCT; 2 c14 CNTP_CVAL; 3 c14 CNTV_CVAL; 4 c14 CNTVOFF; 6 c14 CNTHP_CVAL
`;

const number = (text: string) => parseInt(text.replace(/^c/, ''), 10);

function parse(table: string, fields: number): Map<number, string> {
  const names = new Map<number, string>();
  for (const entry of table.split(/[;\n]/)) {
    const parts = entry.trim().split(/\s+/);
    if (parts.length !== fields + 1) continue;
    let key = 0;
    for (let i = 0; i < fields; i++) key = key * 16 + number(parts[i]);
    names.set(key, parts[fields]);
  }
  return names;
}

let names32: Map<number, string> | undefined;
let names64: Map<number, string> | undefined;

/** Name of the CP15 register MRC/MCR address (CRn, opc1, CRm, opc2), if it has one. */
export function cp15Name32(crn: number, opc1: number, crm: number, opc2: number): string | undefined {
  names32 ??= parse(REGISTERS_32, 4);
  return names32.get(((crn * 16 + opc1) * 16 + crm) * 16 + opc2);
}

/** Name of the 64-bit CP15 register MRRC/MCRR address (opc1, CRm), if it has one. */
export function cp15Name64(opc1: number, crm: number): string | undefined {
  names64 ??= parse(REGISTERS_64, 2);
  return names64.get(opc1 * 16 + crm);
}
