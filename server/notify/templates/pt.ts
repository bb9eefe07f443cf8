import type { Catalog } from './catalog.js';

export const pt: Catalog = {
  locale: 'pt',
  greeting: 'Olá, {recipientName},',
  footer: 'Esta mensagem foi enviada pelo serviço de custódia sobre a sua conta. Por favor, não responda a ela.',
  labels: {
    by: { client: 'o cliente', freelancer: 'o freelancer', staff: 'a equipe da plataforma' },
    outcome: {
      settled: 'resolvida por acordo',
      decided: 'decidida por um mediador',
      default_no_response: 'decidida porque a outra parte não respondeu a tempo',
      default_fee_unpaid: 'decidida porque a taxa de arbitragem não foi paga a tempo',
      small_claims: 'encerrada como pequena causa e dividida igualmente',
      withdrawn: 'retirada pela parte que a abriu',
    },
    action: { respond: 'responder à disputa', pay_fee: 'pagar a taxa de arbitragem' },
  },
  messages: {
    milestone_to_review: {
      subject: 'Nova etapa para revisar: {milestone}',
      body: [
        'Seu cliente propôs uma nova etapa: “{milestone}” por {amount}.',
        'Revise-a. Se estiver de acordo com o trabalho, aprove-a; caso contrário, envie uma mensagem ao cliente para combinar alterações. O cliente só pode pagar a etapa depois que você a aprovar.',
      ],
    },
    milestone_created: {
      subject: 'Nova etapa: {milestone}',
      body: [
        'Seu freelancer criou uma etapa: “{milestone}” por {amount}.',
        'Você pode pagá-la em custódia quando quiser; o trabalho começa depois do pagamento.',
      ],
    },
    milestone_requested: {
      subject: 'Etapa solicitada: {milestone}',
      body: [
        'Seu freelancer solicita uma etapa: “{milestone}” por {amount}.',
        'Aceite a solicitação para adicioná-la ao seu contrato, ou recuse-a.',
      ],
    },
    milestone_approved: {
      subject: 'Etapa aprovada: {milestone}',
      body: [
        'A etapa “{milestone}” por {amount} foi aprovada.',
        { when: 'paymentTaken', text: 'O pagamento foi debitado do seu saldo e está retido em custódia.' },
      ],
    },
    milestone_funded: {
      subject: 'Pagamento em custódia: {milestone}',
      body: [
        '{amount} por “{milestone}” foram pagos em custódia.',
        'Você pode começar o trabalho: o dinheiro fica retido com segurança até o cliente liberá-lo.',
      ],
    },
    milestone_completed: {
      subject: 'Trabalho marcado como concluído: {milestone}',
      body: [
        'Seu freelancer marcou “{milestone}” ({amount}) como concluída.',
        'Revise o trabalho e libere o pagamento, ou peça uma revisão.',
        'Se você não fizer nada, o pagamento será liberado automaticamente em {autoRelease}.',
      ],
    },
    milestone_released: {
      subject: 'Pagamento liberado: {milestone}',
      body: [
        '{released} foram liberados para você por “{milestone}”.',
        'Após a taxa da plataforma de {commission}, {received} foram adicionados ao seu saldo.',
        'Restam {remaining} em custódia para esta etapa.',
      ],
    },
    milestone_cancelled: {
      subject: 'Etapa cancelada: {milestone}',
      body: [
        'A etapa “{milestone}” ({amount}) foi cancelada por {by}.',
        'Os {refunded} retidos em custódia foram devolvidos ao saldo do cliente.',
      ],
    },
    dispute_opened: {
      subject: 'Uma disputa foi aberta: {milestone}',
      body: [
        'Uma disputa sobre “{milestone}” foi aberta por {by}, reclamando {claim}. Os {disputed} em custódia ficam congelados até a disputa ser resolvida.',
        'Responda antes de {deadline}. Se não responder a tempo, a disputa poderá ser decidida contra você.',
      ],
    },
    dispute_offer: {
      subject: 'Nova oferta na sua disputa: {milestone}',
      body: [
        'Uma nova oferta para resolver a disputa sobre “{milestone}” foi feita por {by}.',
        'Ela propõe {freelancerShare} para o freelancer e {clientShare} de volta ao cliente, dos {disputed} em custódia.',
        'Você pode aceitá-la ou fazer a sua própria oferta.',
      ],
    },
    dispute_deadline_near: {
      subject: 'Prazo se aproximando: {milestone}',
      body: [
        'A disputa sobre “{milestone}” tem um prazo que termina em {deadline}.',
        'Você ainda precisa {action} antes disso; caso contrário, a disputa será encerrada a favor da outra parte.',
        'A taxa de arbitragem é de {arbitrationFee}.',
      ],
    },
    dispute_settled: {
      subject: 'Disputa resolvida: {milestone}',
      body: [
        'A disputa sobre “{milestone}” foi resolvida por acordo.',
        '{freelancerShare} vão para o freelancer e {clientShare} são devolvidos ao cliente.',
      ],
    },
    dispute_decided: {
      subject: 'Disputa encerrada: {milestone}',
      body: [
        'A disputa sobre “{milestone}” foi {outcome}.',
        '{freelancerShare} vão para o freelancer e {clientShare} são devolvidos ao cliente.',
      ],
    },
  },
};
