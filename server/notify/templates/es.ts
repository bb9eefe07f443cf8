import type { Catalog } from './catalog.js';

export const es: Catalog = {
  locale: 'es',
  greeting: 'Hola, {recipientName}:',
  footer: 'Este mensaje lo envía el servicio de depósito en garantía sobre tu cuenta. Por favor, no respondas a él.',
  labels: {
    by: { client: 'el cliente', freelancer: 'el freelancer', staff: 'el personal de la plataforma' },
    outcome: {
      settled: 'resuelta por acuerdo',
      decided: 'decidida por un mediador',
      default_no_response: 'decidida porque la otra parte no respondió a tiempo',
      default_fee_unpaid: 'decidida porque la tasa de arbitraje no se pagó a tiempo',
      small_claims: 'cerrada como reclamación menor y repartida a partes iguales',
      withdrawn: 'retirada por la parte que la abrió',
    },
    action: { respond: 'responder a la disputa', pay_fee: 'pagar la tasa de arbitraje' },
  },
  messages: {
    milestone_to_review: {
      subject: 'Nuevo hito para revisar: {milestone}',
      body: [
        'Tu cliente ha propuesto un nuevo hito: «{milestone}» por {amount}.',
        'Revísalo. Si estás de acuerdo con el trabajo, apruébalo; si no, envía un mensaje al cliente para acordar cambios. El cliente no puede pagar el hito hasta que lo apruebes.',
      ],
    },
    milestone_created: {
      subject: 'Nuevo hito: {milestone}',
      body: [
        'Tu freelancer ha creado un hito: «{milestone}» por {amount}.',
        'Puedes depositarlo en garantía cuando quieras; el trabajo empieza cuando esté pagado.',
      ],
    },
    milestone_requested: {
      subject: 'Hito solicitado: {milestone}',
      body: [
        'Tu freelancer solicita un hito: «{milestone}» por {amount}.',
        'Acepta la solicitud para añadirlo a tu contrato, o recházala.',
      ],
    },
    milestone_approved: {
      subject: 'Hito aprobado: {milestone}',
      body: [
        'El hito «{milestone}» por {amount} ha sido aprobado.',
        { when: 'paymentTaken', text: 'Su pago se ha cargado a tu saldo y queda retenido en garantía.' },
      ],
    },
    milestone_funded: {
      subject: 'Pago depositado en garantía: {milestone}',
      body: [
        'Se han depositado en garantía {amount} por «{milestone}».',
        'Puedes empezar el trabajo: el dinero queda retenido de forma segura hasta que el cliente lo libere.',
      ],
    },
    milestone_completed: {
      subject: 'Trabajo marcado como completado: {milestone}',
      body: [
        'Tu freelancer ha marcado «{milestone}» ({amount}) como completado.',
        'Revisa el trabajo y libera el pago, o pide una revisión.',
        'Si no haces nada, el pago se liberará automáticamente el {autoRelease}.',
      ],
    },
    milestone_released: {
      subject: 'Pago liberado: {milestone}',
      body: [
        'Se te han liberado {released} por «{milestone}».',
        'Tras la comisión de la plataforma de {commission}, se han añadido {received} a tu saldo.',
        'Quedan {remaining} en garantía para este hito.',
      ],
    },
    milestone_cancelled: {
      subject: 'Hito cancelado: {milestone}',
      body: [
        'El hito «{milestone}» ({amount}) ha sido cancelado por {by}.',
        'Los {refunded} retenidos en garantía se han devuelto al saldo del cliente.',
      ],
    },
    dispute_opened: {
      subject: 'Se ha abierto una disputa: {milestone}',
      body: [
        'Se ha abierto una disputa sobre «{milestone}», iniciada por {by}, que reclama {claim}. Los {disputed} en garantía quedan congelados hasta que se resuelva.',
        'Responde antes del {deadline}. Si no respondes a tiempo, la disputa podría decidirse en tu contra.',
      ],
    },
    dispute_offer: {
      subject: 'Nueva oferta en tu disputa: {milestone}',
      body: [
        'Se ha hecho una nueva oferta para resolver la disputa sobre «{milestone}», propuesta por {by}.',
        'Propone {freelancerShare} para el freelancer y {clientShare} de vuelta al cliente, de los {disputed} en garantía.',
        'Puedes aceptarla o hacer tu propia oferta.',
      ],
    },
    dispute_deadline_near: {
      subject: 'Se acerca el plazo: {milestone}',
      body: [
        'La disputa sobre «{milestone}» tiene un plazo que vence el {deadline}.',
        'Todavía tienes que {action} antes de esa fecha; de lo contrario, la disputa se cerrará a favor de la otra parte.',
        'La tasa de arbitraje es de {arbitrationFee}.',
      ],
    },
    dispute_settled: {
      subject: 'Disputa resuelta: {milestone}',
      body: [
        'La disputa sobre «{milestone}» se ha resuelto por acuerdo.',
        '{freelancerShare} son para el freelancer y {clientShare} se devuelven al cliente.',
      ],
    },
    dispute_decided: {
      subject: 'Disputa cerrada: {milestone}',
      body: [
        'La disputa sobre «{milestone}» ha sido {outcome}.',
        '{freelancerShare} son para el freelancer y {clientShare} se devuelven al cliente.',
      ],
    },
  },
};
